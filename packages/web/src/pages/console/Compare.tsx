/** Two or more rule packs side by side (GET /policy/compare), differing rows only on request. */
import { useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Comparison, ComparisonCell, ComparisonRow } from '@domain/rules/compare';
import { client, unwrap } from '../../api/client';
import { useJurisdictions } from '../../app/hooks';
import { RuleTag, formatValue } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

export default function Compare() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const codes = (params.get('codes') ?? 'SH,HN').split(',').filter(Boolean);
  const differing = params.get('differing') === '1';
  const jurisdictions = useJurisdictions();
  const cmp = useQuery({
    queryKey: ['compare', codes.join(','), differing],
    // The answer is declared as a free object in the OpenAPI document; its shape is the domain's
    // Comparison (API-NOTES.md asks for a declared schema).
    queryFn: async () =>
      (await unwrap(
        client.GET('/api/v1/policy/compare', {
          params: { query: { codes: codes.join(','), differing } },
        }),
      )) as unknown as Comparison,
    enabled: codes.length >= 2,
  });
  const zh = i18n.language !== 'en';
  const cell = (c: ComparisonCell | null | undefined) =>
    c ? (
      <div>
        <div>{formatValue(c.value)}</div>
        <RuleTag p={c} />
        {c.quote && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} lang="zh-CN">
            “{c.quote}”
          </Typography.Text>
        )}
      </div>
    ) : (
      '—'
    );
  return (
    <Page title={t('policy.compareTitle')} subtitle={t('policy.compareIntro')}>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            mode="multiple"
            aria-label={t('policy.jurisdiction')}
            style={{ minWidth: 360 }}
            value={codes}
            onChange={(v: string[]) =>
              setParams({ codes: v.join(','), ...(differing ? { differing: '1' } : {}) })
            }
            options={jurisdictions.data?.items.map((x) => ({
              value: x.shortCode,
              label: `${zh ? x.name.zh : x.name.en} (${x.shortCode})`,
            }))}
          />
          <Switch
            id="differing"
            checked={differing}
            onChange={(v) =>
              setParams({ codes: codes.join(','), ...(v ? { differing: '1' } : {}) })
            }
          />
          <label htmlFor="differing">{t('policy.differing')}</label>
        </Space>
        {cmp.error && <ProblemAlert error={cmp.error} />}
        <Table<ComparisonRow>
          rowKey="path"
          size="small"
          loading={cmp.isLoading}
          dataSource={cmp.data?.rows}
          pagination={{ pageSize: 40, showSizeChanger: false }}
          rowClassName={(r) => (r.differs ? 'row-differs' : '')}
          columns={[
            {
              title: t('policy.parameter'),
              dataIndex: 'path',
              width: 220,
              render: (v: string) => <code>{v}</code>,
            },
            ...(cmp.data?.columns ?? []).map((c) => ({
              title: `${zh ? c.name.zh : c.name.en} ${c.version}`,
              key: c.code,
              render: (_: unknown, r: ComparisonRow) => cell(r.cells[c.code]),
            })),
          ]}
        />
      </Card>
    </Page>
  );
}

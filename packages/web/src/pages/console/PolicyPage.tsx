/** One jurisdiction's rule pack: every parameter with its article and words, on a chosen date. */
import { Card, DatePicker, Descriptions, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { client, unwrap } from '../../api/client';
import type { PolicyParameter } from '../../api/types';
import { formatDate } from '../../app/format';
import { useJurisdictions } from '../../app/hooks';
import { useSession } from '../../app/session';
import { RuleTag, formatValue } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

export default function PolicyPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const jurisdictions = useJurisdictions();
  const code =
    params.get('code') ?? me?.jurisdiction ?? jurisdictions.data?.items[0]?.shortCode ?? 'SH';
  const [at, setAt] = useState<Dayjs | null>(null);
  const [filter, setFilter] = useState('');
  const policy = useQuery({
    queryKey: ['policy', code, at?.format('YYYY-MM-DD')],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/jurisdictions/{code}/policy', {
          params: { path: { code }, query: at ? { at: at.format('YYYY-MM-DD') } : {} },
        }),
      ),
  });
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (policy.data?.parameters ?? []).filter(
      (p) =>
        !f ||
        p.path.toLowerCase().includes(f) ||
        p.rule.toLowerCase().includes(f) ||
        (p.quote ?? '').includes(f),
    );
  }, [policy.data, filter]);
  const j = policy.data?.jurisdiction;
  const zh = i18n.language !== 'en';
  return (
    <Page
      title={t('policy.title')}
      extra={
        <Link to={`/console/policy/compare?codes=${code},${code === 'SH' ? 'HN' : 'SH'}`}>
          {t('policy.compareTitle')}
        </Link>
      }
    >
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            aria-label={t('policy.jurisdiction')}
            style={{ width: 220 }}
            value={j?.shortCode ?? code}
            onChange={(v) => setParams({ code: v })}
            options={jurisdictions.data?.items.map((x) => ({
              value: x.shortCode,
              label: `${zh ? x.name.zh : x.name.en} (${x.shortCode})`,
            }))}
          />
          <DatePicker
            aria-label={t('policy.at')}
            placeholder={t('policy.at')}
            value={at}
            onChange={setAt}
          />
          <Input.Search
            aria-label={t('policy.filter')}
            placeholder={t('policy.filter')}
            allowClear
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 260 }}
          />
        </Space>
        {policy.error && <ProblemAlert error={policy.error} />}
        {j && (
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2 }}
            className="kv"
            style={{ marginBottom: 16 }}
          >
            <Descriptions.Item label={t('policy.jurisdiction')}>
              {zh ? j.name.zh : j.name.en}（{j.code}）
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.regulation')}>{j.regulation}</Descriptions.Item>
            <Descriptions.Item label={t('policy.version')}>{j.version}</Descriptions.Item>
            <Descriptions.Item label={t('policy.status')}>
              <Tag color={j.status === 'in_force' ? 'green' : 'red'}>
                {t(`policy.statuses.${j.status}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.effective')}>
              {formatDate(j.effectiveFrom)} — {j.effectiveUntil ? formatDate(j.effectiveUntil) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.warnings')}>
              {j.warnings.length
                ? j.warnings.map((w) => <div key={w.code}>{zh ? w.message.zh : w.message.en}</div>)
                : '—'}
            </Descriptions.Item>
          </Descriptions>
        )}
        <Table<PolicyParameter>
          rowKey="path"
          size="small"
          loading={policy.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            {
              title: t('policy.parameter'),
              dataIndex: 'path',
              width: 260,
              render: (v: string) => <code>{v}</code>,
            },
            {
              title: t('policy.value'),
              dataIndex: 'value',
              render: (v: unknown) => formatValue(v),
            },
            { title: t('policy.rule'), width: 110, render: (_, p) => <RuleTag p={p} /> },
            {
              title: t('policy.quote'),
              render: (_, p) => (
                <div>
                  {p.quote && <span lang="zh-CN">“{p.quote}”</span>}
                  {p.note && (
                    <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                      {p.note}
                    </Typography.Paragraph>
                  )}
                </div>
              ),
            },
          ]}
        />
      </Card>
    </Page>
  );
}

/**
 * The fee schedule (amounts a regulation leaves to a bank or price bureau), in yuan; a quote.
 * A centre sets its own jurisdiction's amounts (PUT /fees/schedule/{code}); the installation
 * administrator may replace the whole schedule.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Form, InputNumber, Row, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import type { FeeSchedule } from '../../api/types';
import { formatFen } from '../../app/format';
import { useAct, useJurisdictions } from '../../app/hooks';
import { useSession } from '../../app/session';
import { FeeView } from '../../components/ApplicationBits';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

const ITEMS = ['first', 'replacement', 'change', 'reissue', 'temporary', 'temporaryLostOrDamaged'];

export default function Fees() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const jurisdictions = useJurisdictions();
  const schedule = useQuery({
    queryKey: ['fees'],
    queryFn: () => unwrap(client.GET('/api/v1/fees/schedule')),
  });
  const [draft, setDraft] = useState<FeeSchedule>({});
  useEffect(() => {
    if (schedule.data) setDraft(schedule.data);
  }, [schedule.data]);
  const installation = me?.role === 'installation_admin';
  const save = useAct(
    (body: FeeSchedule, key: string) => {
      const headers = headersFor({ idempotencyKey: key });
      if (installation) return unwrap(client.PUT('/api/v1/fees/schedule', { body, headers }));
      const [code, amounts] = Object.entries(body)[0] ?? [ownCode ?? '', {}];
      return unwrap(
        client.PUT('/api/v1/fees/schedule/{code}', {
          params: { path: { code } },
          body: amounts,
          headers,
        }),
      );
    },
    [['fees']],
  );
  // A quote reads; it changes nothing.
  const quote = useAct(
    (v: {
      jurisdiction: string;
      kind: 'first' | 'replacement' | 'change' | 'reissue' | 'temporary';
      hardship?: 'none' | 'tekun' | 'dibao';
    }) => unwrap(client.POST('/api/v1/fees/quote', { body: v })),
    [],
  );
  const codes = jurisdictions.data?.items.map((j) => j.shortCode) ?? [];
  /** A centre's own jurisdiction (me.jurisdiction is its division code). */
  const ownCode = jurisdictions.data?.items.find((j) => j.code === me?.jurisdiction)?.shortCode;
  const mayEdit = (code: string) => can('policy.configure') && (installation || code === ownCode);
  const editable = codes.some(mayEdit);
  const rows = codes.map((code) => ({ code, ...(draft[code] ?? {}) }));
  return (
    <Page title={t('fees.title')} subtitle={t('fees.intro')}>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card>
            {schedule.error && <ProblemAlert error={schedule.error} />}
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={rows}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('policy.jurisdiction'), dataIndex: 'code' },
                ...ITEMS.map((item) => ({
                  title: t(`applications.kinds.${item}`, { defaultValue: item }),
                  key: item,
                  render: (_: unknown, r: Record<string, unknown>) => {
                    const fen = (draft[r.code as string] ?? {})[item];
                    return mayEdit(r.code as string) ? (
                      <InputNumber
                        aria-label={`${r.code as string} ${item}`}
                        min={0}
                        step={1}
                        precision={2}
                        style={{ width: 100 }}
                        value={fen === undefined ? null : fen / 100}
                        onChange={(v) =>
                          setDraft((d) => {
                            const next = { ...(d[r.code as string] ?? {}) };
                            if (v === null || v === undefined) delete next[item];
                            else next[item] = Math.round(Number(v) * 100);
                            return { ...d, [r.code as string]: next };
                          })
                        }
                      />
                    ) : fen === undefined ? (
                      '—'
                    ) : (
                      formatFen(fen)
                    );
                  },
                })),
              ]}
            />
            {editable && (
              <Space style={{ marginTop: 12 }}>
                <Button
                  type="primary"
                  loading={save.isPending}
                  onClick={() =>
                    save.mutate(
                      installation
                        ? Object.fromEntries(
                            Object.entries(draft).filter(([, v]) => Object.keys(v).length),
                          )
                        : { [ownCode!]: draft[ownCode!] ?? {} },
                      { onSuccess: () => save.message.success(t('fees.saved')) },
                    )
                  }
                >
                  {t('common.save')}
                </Button>
              </Space>
            )}
            {save.error && <ProblemAlert error={save.error} />}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('fees.quote')}>
            <Form
              layout="vertical"
              initialValues={{
                jurisdiction: codes[0] ?? 'SH',
                kind: 'replacement',
                hardship: 'none',
              }}
              onFinish={(v) => quote.mutate(v)}
            >
              <Form.Item name="jurisdiction" label={t('policy.jurisdiction')}>
                <Select options={codes.map((c) => ({ value: c, label: c }))} />
              </Form.Item>
              <Form.Item name="kind" label={t('applications.kind')}>
                <Select
                  options={['first', 'replacement', 'change', 'reissue', 'temporary'].map((k) => ({
                    value: k,
                    label: t(`applications.kinds.${k}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="hardship" label={t('person.hardship')}>
                <Select
                  options={['none', 'tekun', 'dibao'].map((k) => ({
                    value: k,
                    label: t(`hardship.${k}`),
                  }))}
                />
              </Form.Item>
              <Button htmlType="submit" loading={quote.isPending}>
                {t('fees.quote')}
              </Button>
            </Form>
            <div style={{ marginTop: 12 }}>
              {quote.data && <FeeView fee={quote.data} />}
              {quote.error && <ProblemAlert error={quote.error} />}
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('fees.intro')}
              </Typography.Paragraph>
            </div>
          </Card>
        </Col>
      </Row>
    </Page>
  );
}

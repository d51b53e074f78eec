/** Parameters of the rule pack in force, each with its article and words (or "platform default"). */
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Policy, PolicyParameter } from '../api/types';

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join('; ');
}

export function RuleTag({ p }: { p: Pick<PolicyParameter, 'rule' | 'default'> }) {
  const { t } = useTranslation();
  return p.default ? <Tag>{t('policy.defaultMark')}</Tag> : <Tag color="red">{p.rule}</Tag>;
}

export function PackRules({
  policy,
  prefixes,
  size = 'small',
}: {
  policy: Policy | undefined;
  prefixes: string[];
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  if (!policy) return null;
  const rows = policy.parameters.filter((p) =>
    prefixes.some((x) => p.path === x || p.path.startsWith(x + '.')),
  );
  if (!rows.length) return null;
  return (
    <Table<PolicyParameter>
      className="pack-rules"
      size={size}
      rowKey="path"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: `${t('policy.parameter')} · ${t('policy.value')}`,
          dataIndex: 'path',
          width: '42%',
          render: (v: string, p) => (
            <div>
              <code className="param-path">{v}</code>
              <div className="param-value">{formatValue(p.value)}</div>
            </div>
          ),
        },
        {
          title: `${t('policy.rule')} · ${t('policy.quote')}`,
          dataIndex: 'quote',
          render: (q: string | undefined, p) => (
            <div>
              <RuleTag p={p} />
              {q ? (
                <span lang="zh-CN">“{q}”</span>
              ) : p.note ? (
                <Typography.Text type="secondary">{p.note}</Typography.Text>
              ) : null}
            </div>
          ),
        },
      ]}
    />
  );
}

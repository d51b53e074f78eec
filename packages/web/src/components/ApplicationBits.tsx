import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Application } from '../api/types';
import { formatFen } from '../app/format';
import { CitationView } from './ProblemAlert';
import type { Citation } from '../api/problem';

const COLOR: Record<string, string> = {
  submitted: 'blue',
  checking: 'processing',
  approved: 'cyan',
  rejected: 'error',
  in_production: 'processing',
  produced: 'geekblue',
  in_stock: 'gold',
  issued: 'success',
  withdrawn: 'default',
};

export function ApplicationStatusTag({ a }: { a: Application }) {
  const { i18n } = useTranslation();
  return (
    <Tag
      color={COLOR[a.status] ?? 'default'}
      data-testid="application-status"
      data-status={a.status}
    >
      {i18n.language === 'en' ? a.statusLabel.en : a.statusLabel.zh}
    </Tag>
  );
}

export interface Fee {
  amountFen?: number;
  basis?: string;
  item?: string;
  citation?: Citation;
  exemption?: { kind: string; citation?: Citation };
  configuration?: { key: string; source: string };
}

/** An amount in yuan with the article that set or waived it. */
export function FeeView({ fee }: { fee: Fee | Record<string, unknown> | undefined }) {
  const { t } = useTranslation();
  const f = (fee ?? {}) as Fee;
  if (f.amountFen === undefined) return <>—</>;
  const citation = f.exemption?.citation ?? f.citation;
  return (
    <div>
      <Typography.Text strong data-testid="fee-amount">
        {f.amountFen === 0 ? t('applications.free') : formatFen(f.amountFen)}
      </Typography.Text>{' '}
      {f.basis && <Tag>{t(`fees.basis.${f.basis}`, { defaultValue: f.basis })}</Tag>}
      {f.configuration?.source === 'unconfigured' && (
        <Tag color="warning">{t('fees.unconfigured')}</Tag>
      )}
      {citation && <CitationView rule={citation} compact />}
    </div>
  );
}

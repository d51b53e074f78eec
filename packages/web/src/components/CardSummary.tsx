/**
 * A card at a glance: its status, whether each function works now (social; the one-card public
 * services where the pack tells them apart, HN-4; financial) and, if not, what stops it, each
 * reason with the article of its jurisdiction's pack.
 */
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Card as AntCard, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Card, Policy } from '../api/types';
import { formatDate, formatDateTime } from '../app/format';
import { param } from '../app/hooks';
import { RuleTag } from './PackRules';

const STATUS_COLOR: Record<string, string> = {
  in_production: 'processing',
  in_stock: 'gold',
  issued: 'success',
  replaced: 'default',
  cancelled: 'error',
  destroyed: 'default',
};

export function CardStatusTag({ card }: { card: Card }) {
  const { i18n } = useTranslation();
  return (
    <Tag
      color={STATUS_COLOR[card.status] ?? 'default'}
      data-testid="card-status"
      data-status={card.status}
    >
      {i18n.language === 'en' ? card.statusLabel.en : card.statusLabel.zh}
    </Tag>
  );
}

function Works({ ok, label }: { ok: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <Tag
      icon={ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}
      color={ok ? 'success' : 'error'}
    >
      {label}：{ok ? t('cards.works') : t('cards.blocked')}
    </Tag>
  );
}

export function CardFlags({ card }: { card: Card }) {
  const { t } = useTranslation();
  return (
    <div className="status-line" data-testid="card-flags">
      <CardStatusTag card={card} />
      <Works ok={card.functions.social.usable} label={t('cards.social')} />
      {card.oneCard !== card.functions.social.usable && (
        <Works ok={card.oneCard} label={t('cards.oneCard')} />
      )}
      <Works ok={card.functions.financial.usable} label={t('cards.financial')} />
      {card.loss.kind !== 'none' && !card.loss.lapsed && (
        <Tag color="volcano" data-testid="card-loss">
          {t(`cards.lossKinds.${card.loss.kind}`, { defaultValue: card.loss.kind })}
          {card.loss.until ? ` → ${formatDateTime(card.loss.until)}` : ''}
        </Tag>
      )}
      {card.loss.lapsed && <Tag>{t('cards.lapsed')}</Tag>}
      {card.suspended && <Tag color="orange">{t('cards.suspended')}</Tag>}
      {card.frozen && <Tag color="purple">{t('cards.frozen')}</Tag>}
      {card.pin.locked && <Tag color="magenta">{t('cards.pinLocked')}</Tag>}
      {card.photoCardDue && <Tag color="gold">{t('cards.photoCardDue')}</Tag>}
      {card.undeliverable && (
        <Tag color="red" data-testid="card-undeliverable">
          {t('cards.undeliverable')}：
          {t(`enums.reason.${card.undeliverable.reason}`, {
            defaultValue: card.undeliverable.reason,
          })}
        </Tag>
      )}
      {card.bankAccount.closurePending && <Tag color="orange">{t('cards.closurePending')}</Tag>}
    </div>
  );
}

const FUNCTIONS = ['social', 'one_card', 'financial'] as const;

/** The pack parameter behind each reason a function is stopped. */
function ruleFor(card: Card, reason: string): string | undefined {
  return {
    lost: card.loss.kind === 'temporary' ? 'loss.temporary.termDays' : 'loss.effect',
    social_not_enabled: 'activation.socialFunction',
    financial_not_activated: 'activation.financialNeedsBankActivation',
    suspended: 'suspension.onRequest',
    frozen: 'suspension.forMisuse',
    expired: 'card.validityYears',
  }[reason];
}

/**
 * What stops each function now, each reason with the pack's rule where there is one. The
 * one-card functions are listed only where they differ from the social function (HN-4).
 */
export function WhyBlocked({ card, policy }: { card: Card; policy: Policy | undefined }) {
  const { t } = useTranslation();
  const shown = FUNCTIONS.filter(
    (fn) =>
      card.stoppedBy[fn].length > 0 &&
      (fn !== 'one_card' || card.stoppedBy.one_card.join() !== card.stoppedBy.social.join()),
  );
  if (shown.length === 0) return null;
  return (
    <ul className="why-blocked" aria-label={t('cards.whyBlocked')} data-testid="why-blocked">
      {shown.map((fn) => (
        <li key={fn}>
          <Typography.Text strong>{t(`cards.functions.${fn}`)}：</Typography.Text>
          {card.stoppedBy[fn].map((b, i) => {
            const path = ruleFor(card, b);
            const p = path ? param(policy, path) : undefined;
            return (
              <span key={b}>
                {i > 0 ? t('where.separator') : ''}
                {t(`statusRules.blockedBy.${b}`, { defaultValue: b })}
                {p && (
                  <>
                    {' '}
                    <RuleTag p={p} />
                    {p.quote && (
                      <Typography.Text type="secondary" lang="zh-CN">
                        “{p.quote}”
                      </Typography.Text>
                    )}
                  </>
                )}
              </span>
            );
          })}
        </li>
      ))}
    </ul>
  );
}

export function CardSummary({
  card,
  policy,
  extra,
}: {
  card: Card;
  policy: Policy | undefined;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <AntCard
      size="small"
      className="card-summary"
      data-testid="card-summary"
      title={
        <Space>
          <Link to={`/cards/${card.cardNo}`} data-testid="card-link">
            {card.cardNo}
          </Link>
          <Typography.Text type="secondary">
            {t(`cards.kinds.${card.kind}`, { defaultValue: card.kind })}
          </Typography.Text>
        </Space>
      }
      extra={extra}
    >
      <CardFlags card={card} />
      <WhyBlocked card={card} policy={policy} />
      <Descriptions size="small" column={2} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('cards.issuedAt')}>
          {formatDateTime(card.issuedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cards.expiresOn')}>
          {formatDate(card.expiresOn)}
        </Descriptions.Item>
      </Descriptions>
    </AntCard>
  );
}

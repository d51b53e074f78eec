/**
 * The holder's home (/my): whom the portal acts for, their cards with what works and what the
 * holder may do online (report a loss, un-report it, apply for a replacement), and their
 * applications with the date they are due and any rejection with its article.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDateTime } from '../../app/format';
import { useHolder } from '../../app/holder-session';
import { ApplicationStatusTag } from '../../components/ApplicationBits';
import { CardFlags } from '../../components/CardSummary';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi, type Application, type Card as CardT } from './api';
import { CardActions } from './CardActions';

export function useHolderCards(personId: string | undefined) {
  return useQuery({
    queryKey: ['holder', 'cards', personId],
    queryFn: () => holderApi.cards(personId!),
    enabled: !!personId,
  });
}

export function useHolderApplications(personId: string | undefined) {
  return useQuery({
    queryKey: ['holder', 'applications', personId],
    queryFn: () => holderApi.applications(personId!),
    enabled: !!personId,
  });
}

export default function Home() {
  const { t } = useTranslation();
  const { me, acting } = useHolder();
  const cards = useHolderCards(acting?.personId);
  const applications = useHolderApplications(acting?.personId);
  if (!me || !acting) return <Spin className="page-spin" />;
  return (
    <Page
      title={t('holder.home.title')}
      subtitle={
        acting.self
          ? t('holder.home.self', { name: acting.name })
          : t('holder.home.ward', { name: acting.name })
      }
    >
      <Card title={t('holder.home.you')} size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('holder.home.name')}>{me.holder.name}</Descriptions.Item>
          <Descriptions.Item label={t('holder.home.idNumber')}>
            {me.holder.idNumberMasked}
          </Descriptions.Item>
          <Descriptions.Item label={t('holder.home.phone')}>
            {me.holder.phoneMasked}
          </Descriptions.Item>
          <Descriptions.Item label={t('holder.home.family')}>
            {me.wards.length === 0 ? (
              <Link to="/my/family">{t('holder.home.noFamily')}</Link>
            ) : (
              <Space size={4} wrap>
                {me.wards.map((w) => (
                  <Tag key={w.personId}>
                    {w.name}（{t(`holder.relations.${w.relation}`, { defaultValue: w.relation })}）
                  </Tag>
                ))}
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('holder.home.cards')} data-testid="holder-cards">
        {cards.isLoading ? (
          <Spin />
        ) : cards.error ? (
          <ProblemAlert error={cards.error} />
        ) : (cards.data?.items ?? []).length === 0 ? (
          <Empty
            description={
              <span>
                {t('holder.home.noCards')} <Link to="/my/apply">{t('holder.navItems.apply')}</Link>
              </span>
            }
          />
        ) : (
          <List
            itemLayout="vertical"
            dataSource={cards.data!.items}
            renderItem={(c) => <CardItem key={c.cardNo} card={c} personId={acting.personId} />}
          />
        )}
      </Card>

      <Card title={t('holder.home.applications')} data-testid="holder-applications">
        {applications.isLoading ? (
          <Spin />
        ) : applications.error ? (
          <ProblemAlert error={applications.error} />
        ) : (applications.data?.items ?? []).length === 0 ? (
          <Empty description={t('holder.home.noApplications')} />
        ) : (
          <List
            dataSource={applications.data!.items}
            renderItem={(a) => <ApplicationItem key={a.id} a={a} />}
          />
        )}
      </Card>
    </Page>
  );
}

function CardItem({ card, personId }: { card: CardT; personId: string }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="holder-card" data-card-no={card.cardNo}>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 0 }}>
        {t(`cards.kinds.${card.kind}`, { defaultValue: card.kind })} <code>{card.cardNo}</code>
      </Typography.Title>
      <CardFlags card={card} />
      <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
        {[
          card.expiresOn ? t('holder.home.expires', { date: formatDate(card.expiresOn) }) : null,
          card.loss.kind !== 'none' && !card.loss.lapsed && card.loss.since
            ? t('holder.home.lostSince', { at: formatDateTime(card.loss.since) })
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Paragraph>
      <CardActions card={card} personId={personId} />
    </List.Item>
  );
}

export function ApplicationItem({ a }: { a: Application }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="holder-application" data-id={a.id}>
      <div style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>
            {t(`applications.kinds.${a.kind}`, { defaultValue: a.kind })}
          </Typography.Text>
          <ApplicationStatusTag a={a} />
          <Typography.Text type="secondary">
            {t('holder.home.submitted', { at: formatDateTime(a.submittedAt) })}
          </Typography.Text>
        </Space>
        {a.due && !a.closedAt && (
          <div data-testid="holder-application-due">
            {t('holder.home.due', { date: formatDate(a.due.at) })}
            {a.due.overdue && (
              <Tag color="error" style={{ marginLeft: 8 }}>
                {t('holder.home.overdue')}
              </Tag>
            )}
          </div>
        )}
        {a.rejection && (
          <div data-testid="holder-application-rejection">
            <Typography.Text type="danger">
              {t('holder.home.rejected', { reason: a.rejection.reason })}
            </Typography.Text>
            {a.rejection.rule && (
              <Tag color="red" style={{ marginLeft: 8 }}>
                {a.rejection.rule}
              </Tag>
            )}
          </div>
        )}
        {a.cardNo && (
          <div>
            {t('holder.home.cardMade')} <code>{a.cardNo}</code>
          </div>
        )}
      </div>
    </List.Item>
  );
}

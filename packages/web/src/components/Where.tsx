/**
 * Where the rule pack lets an act be done, with its article, and whether this counter (or the
 * channel the report came in by) is one of those places. Shown beside every act before it is
 * submitted; the server refuses the others (PLACE_NOT_ALLOWED) citing the same article.
 */
import { EnvironmentOutlined } from '@ant-design/icons';
import { Alert, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Places, ServicePlace } from '../app/places';
import { RuleTag } from './PackRules';

export function PlaceList({ places }: { places: readonly ServicePlace[] }) {
  const { t } = useTranslation();
  if (!places.length) return <>{t('where.nowhere')}</>;
  return <>{places.map((p) => t(`places.${p}`)).join(t('where.separator'))}</>;
}

function Quote({ places }: { places: Places }) {
  const p = places.parameter;
  if (!p) return null;
  return (
    <span className="where-rule">
      <RuleTag p={p} />
      {p.quote ? (
        <Typography.Text type="secondary" lang="zh-CN">
          “{p.quote}”
        </Typography.Text>
      ) : p.note ? (
        <Typography.Text type="secondary">{p.note}</Typography.Text>
      ) : null}
    </span>
  );
}

export function WhereAllowed({ places, at }: { places: Places | null; at: ServicePlace }) {
  const { t } = useTranslation();
  if (!places) return null;
  const act = t(`placeActs.${places.act}`);
  const here = places.places.includes(at);
  return (
    <div className="where" data-testid="where" data-allowed={here ? 'true' : 'false'}>
      <Space size={4} wrap className="where-places">
        <Typography.Text strong>
          <EnvironmentOutlined aria-hidden /> {t('where.title', { act })}
        </Typography.Text>
        {places.places.length === 0 ? (
          <Tag>{t('where.nowhere')}</Tag>
        ) : (
          places.places.map((p) => (
            <Tag key={p} color={p === at ? 'green' : undefined}>
              {t(`places.${p}`)}
            </Tag>
          ))
        )}
        <Quote places={places} />
      </Space>
      {!here && (
        <Alert
          type="warning"
          showIcon
          className="where-note"
          data-testid="place-note"
          title={t('where.notHere', { act, place: t(`places.${at}`) })}
          description={
            <span>
              {t('where.doneAt')}
              <PlaceList places={places.places} />
              {places.parameter && !places.parameter.default ? ` (${places.parameter.rule})` : ''}
            </span>
          }
        />
      )}
    </div>
  );
}

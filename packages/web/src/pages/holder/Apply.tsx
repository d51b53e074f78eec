/**
 * Apply online (网上申领) for a first card where the rule pack offers it online (`places.first`),
 * with a photo chosen and previewed here (the photo rules of the pack beside it), then follow the
 * application: its status, the date it is due and any rejection with its article.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Select, Space, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/client';
import { ActionKey } from '../../api/transport';
import { holderClient, useHolder } from '../../app/holder-session';
import { usePolicy } from '../../app/hooks';
import { placesOf } from '../../app/places';
import { PackRules } from '../../components/PackRules';
import { Page } from '../../components/Page';
import { PhotoPicker } from '../../components/PhotoPicker';
import { ProblemAlert } from '../../components/ProblemAlert';
import { WhereAllowed } from '../../components/Where';
import { holderApi } from './api';
import { BranchSelect } from './BranchSelect';
import { ApplicationItem, useHolderApplications, useHolderCards } from './Home';

/** PUT /api/v1/persons/{id}/photo with the holder's token and the action's key. */
function uploadPhoto(personId: string, file: File, key: string) {
  return unwrap(
    holderClient.PUT('/api/v1/persons/{id}/photo', {
      params: { path: { id: personId } },
      body: file as never,
      bodySerializer: (b: unknown) => b as Blob,
      headers: { 'content-type': file.type || 'application/octet-stream', 'idempotency-key': key },
    }),
  );
}

export default function Apply() {
  const { t } = useTranslation();
  const { acting } = useHolder();
  const qc = useQueryClient();
  const personId = acting?.personId;
  const person = useQuery({
    queryKey: ['holder', 'person', personId],
    queryFn: () => holderApi.person(personId!),
    enabled: !!personId,
  });
  const cards = useHolderCards(personId);
  const applications = useHolderApplications(personId);
  const policy = usePolicy(person.data?.jurisdiction);
  const [photo, setPhoto] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [delivery, setDelivery] = useState<'counter' | 'mail'>('counter');
  const [branchId, setBranchId] = useState<string | undefined>();
  const photoKey = useRef(new ActionKey());
  const applyKey = useRef(new ActionKey());

  if (!personId || person.isLoading) return <Spin className="page-spin" />;
  if (!person.data)
    return (
      <Page title={t('holder.apply.title')}>
        <ProblemAlert error={person.error} />
      </Page>
    );
  const p = person.data;
  const places = placesOf(policy.data, 'first');
  const onlineOffered = !places || places.places.includes('online');
  const open = (applications.data?.items ?? []).filter((a) => !a.closedAt);
  const live = (cards.data?.items ?? []).filter((c) =>
    ['issued', 'in_stock', 'in_production'].includes(c.status),
  );

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (photo) {
        await uploadPhoto(p.id, photo, photoKey.current.for(photo));
        photoKey.current.answered();
      }
      const body = {
        personId: p.id,
        kind: 'first' as const,
        channel: 'online' as const,
        jurisdiction: p.jurisdiction,
        branchId: branchId!,
        delivery,
      };
      await unwrap(
        holderClient.POST('/api/v1/applications', {
          body,
          headers: { 'idempotency-key': applyKey.current.for(body) },
        }),
      );
      applyKey.current.answered();
      setDone(true);
      setPhoto(null);
      await qc.invalidateQueries({ queryKey: ['holder'] });
    } catch (e) {
      setError(e);
      applyKey.current.answered();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('holder.apply.title')} subtitle={acting?.name}>
      <Card title={t('holder.apply.first')}>
        {live.length > 0 ? (
          <Alert type="info" showIcon title={t('holder.apply.hasCard')} />
        ) : open.length > 0 ? (
          <Alert type="info" showIcon title={t('holder.apply.pending')} />
        ) : (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {policy.data && <WhereAllowed places={places} at="online" />}
            {!p.hasPhoto && (
              <Typography.Paragraph>{t('holder.apply.photoNeeded')}</Typography.Paragraph>
            )}
            <PhotoPicker value={photo} onChange={setPhoto} />
            <PackRules policy={policy.data} prefixes={['photo']} />
            <BranchSelect jurisdiction={p.jurisdiction} value={branchId} onChange={setBranchId} />
            <div>
              <label htmlFor="holder-delivery" style={{ marginRight: 8 }}>
                {t('holder.apply.delivery')}
              </label>
              <Select
                id="holder-delivery"
                value={delivery}
                onChange={setDelivery}
                style={{ minWidth: 200 }}
                options={[
                  { value: 'counter', label: t('holder.apply.deliveryCounter') },
                  { value: 'mail', label: t('holder.apply.deliveryMail') },
                ]}
              />
            </div>
            <Button
              type="primary"
              loading={busy}
              disabled={!onlineOffered || !branchId || (!p.hasPhoto && !photo)}
              onClick={() => void submit()}
              data-testid="holder-apply-submit"
            >
              {t('holder.apply.submit')}
            </Button>
            {done && <Alert type="success" showIcon role="status" title={t('holder.apply.done')} />}
          </Space>
        )}
        {error ? (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert error={error} />
          </div>
        ) : null}
      </Card>
      <Card title={t('holder.apply.follow')}>
        {(applications.data?.items ?? []).length === 0 ? (
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

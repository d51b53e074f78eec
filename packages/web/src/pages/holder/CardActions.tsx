/**
 * What a holder may do with a card online: report it lost (temporarily, with the terms the pack
 * offers, or formally), un-report it, apply for a replacement. Beside each act, whether the rule
 * pack offers it online (`places.<act>`, with its article); the server decides, and a refusal is
 * shown with the article that refused it (`rule`) and its message.
 */
import { Alert, Button, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/client';
import { holderClient } from '../../app/holder-session';
import { param, useAct, usePolicy } from '../../app/hooks';
import { placesOf, type PlaceAct } from '../../app/places';
import { RuleTag } from '../../components/PackRules';
import { ProblemAlert } from '../../components/ProblemAlert';
import { PlaceList, WhereAllowed } from '../../components/Where';
import type { Card } from './api';
import { BranchSelect } from './BranchSelect';

type HolderAct = 'temporaryLoss' | 'formalLoss' | 'unreport' | 'replacement';

const PLACE_ACT: Record<HolderAct, PlaceAct> = {
  temporaryLoss: 'temporaryLoss',
  formalLoss: 'formalLoss',
  unreport: 'unreport',
  replacement: 'replacement',
};

const LIVE = new Set(['issued']);

export function CardActions({ card, personId }: { card: Card; personId: string }) {
  const { t } = useTranslation();
  const policy = usePolicy(card.jurisdiction);
  const [open, setOpen] = useState<HolderAct | null>(null);
  const [term, setTerm] = useState<'default' | 'long'>('default');
  const [branchId, setBranchId] = useState<string | undefined>();
  const act = useAct(
    async (
      {
        name,
        term,
        branchId,
      }: { name: HolderAct; term: 'default' | 'long'; branchId?: string | undefined },
      key: string,
    ) => {
      const headers = { 'idempotency-key': key };
      const path = { cardNo: card.cardNo };
      if (name === 'temporaryLoss' || name === 'formalLoss')
        return unwrap(
          holderClient.POST('/api/v1/cards/{cardNo}/loss', {
            params: { path },
            headers,
            body: name === 'temporaryLoss' ? { kind: 'temporary', term } : { kind: 'formal' },
          }),
        );
      if (name === 'unreport')
        return unwrap(
          holderClient.POST('/api/v1/cards/{cardNo}/unreport', {
            params: { path },
            headers,
            body: {},
          }),
        );
      return unwrap(
        holderClient.POST('/api/v1/applications', {
          headers,
          body: {
            personId,
            kind: 'replacement',
            channel: 'online',
            oldCardNo: card.cardNo,
            jurisdiction: card.jurisdiction,
            ...(branchId ? { branchId } : {}),
          },
        }),
      );
    },
    [
      ['holder', 'cards'],
      ['holder', 'applications'],
    ],
  );

  const lossActive = card.loss.kind !== 'none' && !card.loss.lapsed;
  const acts: HolderAct[] = [];
  if (LIVE.has(card.status) && !lossActive) acts.push('temporaryLoss', 'formalLoss');
  if (LIVE.has(card.status) && card.loss.kind === 'temporary' && !card.loss.lapsed)
    acts.push('formalLoss');
  if (lossActive) acts.push('unreport');
  if (LIVE.has(card.status) && card.loss.kind === 'formal') acts.push('replacement');
  if (!acts.length) return null;

  const online = (a: HolderAct) => {
    const places = placesOf(policy.data, PLACE_ACT[a]);
    return !places || places.places.includes('online');
  };
  const longOffered = param(policy.data, 'loss.temporary.longTermOption');
  const termDays = param(policy.data, 'loss.temporary.termDays');
  const elsewhere = acts.filter((a) => policy.data && !online(a));

  const start = (a: HolderAct) => {
    act.reset();
    act.renewKey();
    setTerm('default');
    setOpen(a);
  };

  return (
    <>
      <div className="holder-card-actions">
        {acts.map((a) => (
          <Button
            key={a}
            type={online(a) ? 'primary' : 'default'}
            ghost={online(a) && a !== 'unreport'}
            onClick={() => start(a)}
            data-testid={`holder-act-${a}`}
            data-online={String(online(a))}
          >
            {t(`holder.acts.${a}`)}
          </Button>
        ))}
      </div>
      {elsewhere.length > 0 && (
        <div className="holder-not-online" data-testid="holder-not-online">
          {elsewhere.map((a) => {
            const places = placesOf(policy.data, PLACE_ACT[a])!;
            return (
              <div key={a}>
                <Typography.Text type="secondary">
                  {t('holder.acts.notOnline', { act: t(`holder.acts.${a}`) })}
                  <PlaceList places={places.places} />
                </Typography.Text>{' '}
                {places.parameter && <RuleTag p={places.parameter} />}
              </div>
            );
          })}
        </div>
      )}
      <Modal
        open={open !== null}
        title={open ? t(`holder.acts.${open}`) : ''}
        onCancel={() => setOpen(null)}
        okText={open ? t(`holder.acts.${open}`) : ''}
        okButtonProps={
          {
            danger: open === 'formalLoss',
            disabled: open === 'replacement' && !branchId,
            'data-testid': 'holder-act-confirm',
          } as never
        }
        confirmLoading={act.isPending}
        onOk={() =>
          act.mutate(
            { name: open!, term, branchId },
            {
              onSuccess: () => {
                act.message.success(t('holder.acts.done', { act: t(`holder.acts.${open}`) }));
                setOpen(null);
              },
            },
          )
        }
        destroyOnHidden
      >
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph>
              {t(`holder.acts.${open}Intro`, { cardNo: card.cardNo })}
            </Typography.Paragraph>
            {open === 'temporaryLoss' && longOffered?.value === true && (
              <div>
                <Typography.Text strong id="holder-loss-term">
                  {t('holder.acts.term')}
                </Typography.Text>{' '}
                <RuleTag p={longOffered} />
                <Radio.Group
                  aria-labelledby="holder-loss-term"
                  value={term}
                  onChange={(e) => setTerm(e.target.value as 'default' | 'long')}
                  data-testid="holder-loss-term"
                  style={{ display: 'flex', flexDirection: 'column', marginTop: 6 }}
                >
                  <Radio value="default">
                    {typeof termDays?.value === 'number'
                      ? t('holder.acts.termDays', { days: termDays.value })
                      : t('holder.acts.termDefault')}
                  </Radio>
                  <Radio value="long">{t('holder.acts.termLong')}</Radio>
                </Radio.Group>
              </div>
            )}
            {open === 'replacement' && (
              <BranchSelect
                jurisdiction={card.jurisdiction}
                value={branchId}
                onChange={setBranchId}
                id={`holder-branch-${card.cardNo}`}
              />
            )}
            {policy.data && (
              <WhereAllowed places={placesOf(policy.data, PLACE_ACT[open])} at="online" />
            )}
            {act.error ? <ProblemAlert error={act.error} /> : null}
            {open === 'formalLoss' && (
              <Alert type="warning" showIcon title={t('holder.acts.formalLossWarning')} />
            )}
          </Space>
        )}
      </Modal>
    </>
  );
}

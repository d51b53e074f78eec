/**
 * Change non-key information (非关键信息变更): phone, residence address, postcode, through
 * PATCH /api/v1/persons/{id} with the record's version (a change made meanwhile is refused, not
 * overwritten). Key information (name, document, photo) means applying again, at a counter or
 * online where the pack says (`places.keyInfoChange`).
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, Spin } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/client';
import { holderClient, useHolder } from '../../app/holder-session';
import { useAct, usePolicy } from '../../app/hooks';
import { placesOf } from '../../app/places';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { WhereAllowed } from '../../components/Where';
import { holderApi } from './api';

interface Values {
  phone: string;
  residenceAddress: string;
  postcode: string;
}

export default function Profile() {
  const { t } = useTranslation();
  const { acting, reload } = useHolder();
  const personId = acting?.personId;
  const [form] = Form.useForm<Values>();
  const person = useQuery({
    queryKey: ['holder', 'person', personId],
    queryFn: () => holderApi.person(personId!),
    enabled: !!personId,
  });
  const policy = usePolicy(person.data?.jurisdiction);
  const save = useAct(
    (body: Values & { version: number }, key: string) =>
      unwrap(
        holderClient.PATCH('/api/v1/persons/{id}', {
          params: { path: { id: personId! } },
          headers: { 'idempotency-key': key },
          // A blank field keeps what is recorded.
          body: {
            version: body.version,
            ...(body.phone?.trim() ? { phone: body.phone.trim() } : {}),
            ...(body.residenceAddress?.trim()
              ? { residenceAddress: body.residenceAddress.trim() }
              : {}),
            ...(body.postcode?.trim() ? { postcode: body.postcode.trim() } : {}),
          },
        }),
      ),
    [['holder', 'person']],
  );
  useEffect(() => {
    if (person.data)
      form.setFieldsValue({
        phone: '',
        residenceAddress: '',
        postcode: person.data.postcode ?? '',
      });
  }, [person.data, form]);

  if (!personId || person.isLoading) return <Spin className="page-spin" />;
  if (!person.data)
    return (
      <Page title={t('holder.profile.title')}>
        <ProblemAlert error={person.error} />
      </Page>
    );
  const p = person.data;
  return (
    <Page title={t('holder.profile.title')} subtitle={acting?.name}>
      <Card title={t('holder.profile.now')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('holder.home.name')}>{p.name}</Descriptions.Item>
          <Descriptions.Item label={t('holder.home.idNumber')}>{p.idNumber}</Descriptions.Item>
          <Descriptions.Item label={t('holder.home.phone')}>
            <span data-testid="holder-profile-phone">{p.phone ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('holder.profile.address')}>
            {p.residenceAddress ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('holder.profile.postcode')}>
            {p.postcode ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('holder.profile.change')}>
        <Form<Values>
          form={form}
          name="holder-profile"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) =>
            save.mutate(
              { ...v, version: p.version },
              {
                onSuccess: () => {
                  save.message.success(t('holder.profile.saved'));
                  void reload();
                },
              },
            )
          }
        >
          <Form.Item
            name="phone"
            label={t('holder.profile.newPhone')}
            extra={t('holder.profile.blankKeeps')}
            rules={[{ pattern: /^1\d{10}$/, message: t('holder.signIn.phoneRule') }]}
          >
            <Input
              type="tel"
              inputMode="tel"
              maxLength={11}
              data-testid="holder-profile-new-phone"
            />
          </Form.Item>
          <Form.Item name="residenceAddress" label={t('holder.profile.newAddress')}>
            <Input maxLength={200} data-testid="holder-profile-address" />
          </Form.Item>
          <Form.Item
            name="postcode"
            label={t('holder.profile.postcode')}
            rules={[{ pattern: /^\d{6}$/, message: t('holder.profile.postcodeRule') }]}
          >
            <Input inputMode="numeric" maxLength={6} data-testid="holder-profile-postcode" />
          </Form.Item>
          {save.error ? (
            <div style={{ marginBottom: 12 }}>
              <ProblemAlert error={save.error} />
            </div>
          ) : null}
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="holder-profile-save"
          >
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      {policy.data && (
        <Card title={t('holder.profile.keyInfo')}>
          <WhereAllowed places={placesOf(policy.data, 'keyInfoChange')} at="online" />
        </Card>
      )}
    </Page>
  );
}

/**
 * Family service (亲情服务): the holder acts for up to eight family members. A child under 16
 * for whom the holder is the recorded guardian is added at once; a parent is added with the
 * consent code sent to the parent's own phone. Members are listed and may be removed.
 */
import { Alert, Button, Card, Form, Input, List, Popconfirm, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useHolder } from '../../app/holder-session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi } from './api';

const MAX_WARDS = 8;

interface Values {
  idNumber: string;
  relation: 'child' | 'parent';
  code?: string;
}

export default function Family() {
  const { t } = useTranslation();
  const { me, reload, acting, setActing } = useHolder();
  const [form] = Form.useForm<Values>();
  const relation = Form.useWatch('relation', form) ?? 'child';
  const [challengeId, setChallengeId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  if (!me) return null;
  const full = me.wards.length >= MAX_WARDS;

  const add = async (v: Values) => {
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const r = await holderApi.addWard({
        idNumber: v.idNumber.trim().toUpperCase(),
        relation: v.relation,
        ...(challengeId && v.code ? { challengeId, code: v.code.trim() } : {}),
      });
      if (r.status === 'added' && r.ward) {
        setChallengeId(null);
        setAdded(r.ward.name);
        form.resetFields();
        await reload();
      } else if (r.challengeId) {
        setChallengeId(r.challengeId);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (personId: string) => {
    setError(null);
    try {
      await holderApi.removeWard(personId);
      if (acting?.personId === personId) setActing(me.holder.personId);
      await reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Page title={t('holder.family.title')}>
      <Card
        title={t('holder.family.members', { count: me.wards.length, max: MAX_WARDS })}
        data-testid="holder-family"
      >
        <List
          dataSource={me.wards}
          locale={{
            emptyText: (
              <Typography.Text type="secondary">{t('holder.family.none')}</Typography.Text>
            ),
          }}
          renderItem={(w) => (
            <List.Item
              data-testid="holder-ward"
              actions={[
                <Button key="act" size="small" onClick={() => setActing(w.personId)}>
                  {t('holder.family.actFor')}
                </Button>,
                <Popconfirm
                  key="remove"
                  title={t('holder.family.removeConfirm', { name: w.name })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void remove(w.personId)}
                >
                  <Button size="small" danger data-testid="holder-ward-remove">
                    {t('holder.family.remove')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={w.name}
                description={`${t(`holder.relations.${w.relation}`, { defaultValue: w.relation })} · ${t('holder.family.since', { at: formatDateTime(w.addedAt) })}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card title={t('holder.family.add')}>
        {full ? (
          <Alert type="info" showIcon title={t('holder.family.full', { max: MAX_WARDS })} />
        ) : (
          <Form<Values>
            form={form}
            name="holder-family-add"
            layout="vertical"
            requiredMark={false}
            initialValues={{ relation: 'child' }}
            onFinish={(v) => void add(v)}
            disabled={busy}
          >
            <Form.Item name="relation" label={t('holder.family.relation')}>
              <Radio.Group onChange={() => setChallengeId(null)}>
                <Radio value="child">{t('holder.family.child')}</Radio>
                <Radio value="parent">{t('holder.family.parent')}</Radio>
              </Radio.Group>
            </Form.Item>
            <Typography.Paragraph type="secondary">
              {relation === 'parent' ? t('holder.family.parentRule') : t('holder.family.childRule')}
            </Typography.Paragraph>
            <Form.Item
              name="idNumber"
              label={t('holder.family.idNumber')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input
                autoComplete="off"
                maxLength={30}
                data-testid="holder-ward-id"
                onChange={() => setChallengeId(null)}
              />
            </Form.Item>
            {challengeId && (
              <>
                <Alert
                  type="success"
                  showIcon
                  role="status"
                  style={{ marginBottom: 12 }}
                  title={t('holder.family.codeSent')}
                />
                <Form.Item
                  name="code"
                  label={t('holder.family.code')}
                  rules={[
                    { required: true, pattern: /^\d{6}$/, message: t('holder.signIn.codeRule') },
                  ]}
                >
                  <Input
                    className="holder-code"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    data-testid="holder-ward-code"
                  />
                </Form.Item>
              </>
            )}
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="holder-ward-add">
                {relation === 'parent' && !challengeId
                  ? t('holder.family.sendConsent')
                  : t('holder.family.addSubmit')}
              </Button>
            </Space>
          </Form>
        )}
        {added && (
          <Alert
            type="success"
            showIcon
            role="status"
            style={{ marginTop: 12 }}
            title={t('holder.family.added', { name: added })}
          />
        )}
        {error ? (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert error={error} />
          </div>
        ) : null}
      </Card>
    </Page>
  );
}

/** One's own account: who, where, permissions; change password; add or replace the second factor. */
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

function QrImage({ uri }: { uri: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    void import('qrcode').then((q) => q.toDataURL(uri, { margin: 1, width: 176 }).then(setSrc));
  }, [uri]);
  return src ? <img src={src} width={176} height={176} alt={t('login.qrAlt')} /> : null;
}

export default function Account() {
  const { t } = useTranslation();
  const { me, organization } = useSession();
  const [pwForm] = Form.useForm();
  const [otpForm] = Form.useForm();
  const [confirmForm] = Form.useForm();
  const password = useAct(
    (v: { currentPassword: string; otp?: string; newPassword: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/auth/password', {
          body: v,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [],
  );
  const start = useAct(
    (v: { password: string; otp?: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/auth/otp', { body: v, headers: headersFor({ idempotencyKey: key }) }),
      ),
    [],
  );
  const confirm = useAct(
    (v: { ticket: string; otp: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/auth/otp/confirm', {
          body: v,
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [],
  );
  if (!me) return null;
  const enrolled = me.secondFactor?.enrolled ?? false;
  return (
    <Page title={t('nav.account')}>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card>
            <Descriptions column={1} size="small" bordered className="kv">
              <Descriptions.Item label={t('staff.username')}>{me.username}</Descriptions.Item>
              <Descriptions.Item label={t('me.role')}>
                {t(`roles.${me.role}`, { defaultValue: me.role })}
              </Descriptions.Item>
              <Descriptions.Item label={t('me.organization')}>
                {organization?.name ?? t('me.installation')}
              </Descriptions.Item>
              <Descriptions.Item label={t('me.jurisdiction')}>
                {me.jurisdiction ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('me.phone')}>{me.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('me.secondFactor')}>
                {enrolled ? (
                  <Tag color="green">{t('me.enrolled')}</Tag>
                ) : (
                  <Tag>{t('me.notEnrolled')}</Tag>
                )}
                {me.secondFactor?.required ? t('me.required') : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('me.permissions')}>
                {me.permissions.map((p) => (
                  <Tag key={p} style={{ marginBottom: 4 }}>
                    {p}
                  </Tag>
                ))}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('me.changePassword')}>
            <Form
              form={pwForm}
              layout="vertical"
              onFinish={(v) =>
                password.mutate(v, {
                  onSuccess: () => {
                    pwForm.resetFields();
                    password.message.success(t('me.passwordChanged'));
                  },
                })
              }
            >
              <Form.Item
                name="currentPassword"
                label={t('me.currentPassword')}
                rules={[{ required: true }]}
              >
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              {enrolled && (
                <Form.Item
                  name="otp"
                  label={t('login.otp')}
                  rules={[{ required: true, pattern: /^\d{6}$/ }]}
                >
                  <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
                </Form.Item>
              )}
              <Form.Item
                name="newPassword"
                label={t('login.newPassword')}
                rules={[{ required: true }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button htmlType="submit" loading={password.isPending}>
                {t('me.changePassword')}
              </Button>
            </Form>
            {password.error && <ProblemAlert error={password.error} />}
          </Card>
          <Card title={t('me.otpSetup')} style={{ marginTop: 16 }}>
            {!start.data ? (
              <Form form={otpForm} layout="vertical" onFinish={(v) => start.mutate(v)}>
                <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                {enrolled && (
                  <Form.Item
                    name="otp"
                    label={t('login.otp')}
                    rules={[{ required: true, pattern: /^\d{6}$/ }]}
                  >
                    <Input inputMode="numeric" maxLength={6} />
                  </Form.Item>
                )}
                <Button htmlType="submit" loading={start.isPending}>
                  {t('me.otpStart')}
                </Button>
              </Form>
            ) : (
              <Space orientation="vertical">
                <Space align="start">
                  <QrImage uri={start.data.otpauthUri} />
                  <div>
                    <Typography.Text strong>{t('login.enrolSecret')}</Typography.Text>
                    <Typography.Paragraph copyable code>
                      {start.data.secret}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary">
                      {t('login.enrolExpires', { at: formatDateTime(start.data.expiresAt) })}
                    </Typography.Text>
                  </div>
                </Space>
                <Form
                  form={confirmForm}
                  layout="inline"
                  onFinish={(v: { otp: string }) =>
                    confirm.mutate({ ticket: start.data!.ticket, otp: v.otp })
                  }
                >
                  <Form.Item
                    name="otp"
                    label={t('login.otp')}
                    rules={[{ required: true, pattern: /^\d{6}$/ }]}
                  >
                    <Input inputMode="numeric" maxLength={6} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={confirm.isPending}>
                    {t('me.otpConfirm')}
                  </Button>
                </Form>
                {confirm.data && (
                  <Alert
                    type="success"
                    showIcon
                    title={t('me.otpConfirmed', { count: confirm.data.sessionsEnded })}
                  />
                )}
              </Space>
            )}
            {[start.error, confirm.error].filter(Boolean).map((e, i) => (
              <ProblemAlert key={i} error={e} />
            ))}
          </Card>
        </Col>
      </Row>
    </Page>
  );
}

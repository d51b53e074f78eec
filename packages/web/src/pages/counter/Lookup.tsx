/**
 * The counter's first screen: the holder in front of you hands over an ID card; type or paste
 * the number and press Enter. One match opens the person; none offers registration with the
 * number carried over (in memory, never in the URL).
 */
import { SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  Button,
  Card,
  Empty,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { client, unwrap } from '../../api/client';
import type { Person } from '../../api/types';
import { formatDate } from '../../app/format';
import { idTypeOptions } from '../../app/labels';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

type Mode = 'id' | 'ssn' | 'phone';

export default function Lookup() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const [mode, setMode] = useState<Mode>('id');
  const [form] = Form.useForm<{
    idType: string;
    idNumber?: string;
    ssn?: string;
    phone?: string;
  }>();
  const [searched, setSearched] = useState<{ idType: string; idNumber?: string } | null>(null);

  const search = useMutation({
    mutationFn: (v: { idType: string; idNumber?: string; ssn?: string; phone?: string }) =>
      unwrap(
        client.POST('/api/v1/persons/search', {
          body:
            mode === 'id'
              ? { idType: v.idType as never, idNumber: v.idNumber!.trim().toUpperCase() }
              : mode === 'ssn'
                ? { ssn: v.ssn!.trim().toUpperCase() }
                : { phone: v.phone!.trim() },
        }),
      ),
    onSuccess: (answer, v) => {
      setSearched(mode === 'id' ? { idType: v.idType, idNumber: v.idNumber?.trim() } : null);
      if (answer.items.length === 1) navigate(`/persons/${answer.items[0]!.id}`);
    },
  });

  const items = search.data?.items ?? [];
  return (
    <Page title={t('lookup.title')} subtitle={t('lookup.shortcut')}>
      <Card>
        <Typography.Paragraph>{t('lookup.intro')}</Typography.Paragraph>
        <Segmented<Mode>
          value={mode}
          onChange={(m) => {
            setMode(m);
            search.reset();
          }}
          options={[
            { value: 'id', label: t('lookup.idNumber') },
            { value: 'ssn', label: t('lookup.bySsn') },
            { value: 'phone', label: t('lookup.byPhone') },
          ]}
          style={{ marginBottom: 16 }}
        />
        <Form
          form={form}
          layout="inline"
          initialValues={{ idType: 'resident_id' }}
          onFinish={(v) => search.mutate(v)}
          className="lookup-form"
        >
          {mode === 'id' && (
            <>
              <Form.Item name="idType" label={t('lookup.idType')}>
                <Select options={idTypeOptions(t)} style={{ width: 220 }} size="large" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('lookup.idNumber')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input
                  id="lookup-id-number"
                  className="lookup-input"
                  size="large"
                  autoFocus
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t('lookup.idNumberPlaceholder')}
                  style={{ width: 340 }}
                  maxLength={30}
                  data-testid="lookup-id"
                />
              </Form.Item>
            </>
          )}
          {mode === 'ssn' && (
            <Form.Item
              name="ssn"
              label={t('lookup.ssn')}
              rules={[{ required: true, len: 18, message: t('common.required') }]}
            >
              <Input
                id="lookup-id-number"
                className="lookup-input"
                size="large"
                autoFocus
                autoComplete="off"
                style={{ width: 340 }}
                maxLength={18}
              />
            </Form.Item>
          )}
          {mode === 'phone' && (
            <Form.Item
              name="phone"
              label={t('lookup.phone')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input
                id="lookup-id-number"
                className="lookup-input"
                size="large"
                autoFocus
                inputMode="tel"
                autoComplete="off"
                style={{ width: 280 }}
                maxLength={20}
              />
            </Form.Item>
          )}
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              size="large"
              icon={<SearchOutlined />}
              loading={search.isPending}
              data-testid="lookup-submit"
            >
              {t('common.search')}
            </Button>
          </Form.Item>
        </Form>
        {search.error && (
          <div style={{ marginTop: 16 }}>
            <ProblemAlert error={search.error} />
          </div>
        )}
      </Card>

      {search.isSuccess && items.length === 0 && (
        <Card style={{ marginTop: 16 }}>
          <Empty description={t('lookup.notFound')}>
            {can('person.create') && (
              <Button
                type="primary"
                icon={<UserAddOutlined />}
                data-testid="register-new"
                onClick={() => navigate('/counter/register', { state: searched ?? undefined })}
              >
                {t('lookup.registerNew')}
              </Button>
            )}
          </Empty>
        </Card>
      )}

      {items.length > 1 && (
        <Card title={t('lookup.results')} style={{ marginTop: 16 }}>
          <Table<Person>
            rowKey="id"
            dataSource={items}
            pagination={false}
            columns={[
              { title: t('person.name'), dataIndex: 'name' },
              { title: t('person.idNumber'), dataIndex: 'idNumber' },
              { title: t('person.birthDate'), dataIndex: 'birthDate', render: formatDate },
              { title: t('person.jurisdiction'), dataIndex: 'jurisdiction' },
              {
                title: t('common.actions'),
                render: (_, p) => (
                  <Space>
                    <Link to={`/persons/${p.id}`}>{t('lookup.open')}</Link>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Page>
  );
}

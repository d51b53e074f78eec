/**
 * Registering a person (人员登记) with the fields the jurisdiction's rule pack asks for: the
 * documents it accepts, the photo rule by age (SH-22, HN-5), a guardian for a minor where the
 * pack records one (HN-10, FZ annex 1). Birth date and sex are read from a resident ID number.
 */
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  Row,
  Select,
  Space,
  Typography,
  DatePicker,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ETHNICITIES } from '@domain/identity/ethnicities';
import { COUNTRIES } from '@domain/identity/countries';
import { client, headersFor, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { ActionKey } from '../../api/transport';
import type { NewPerson, Person } from '../../api/types';
import { ageOn, birthDateFromId } from '../../app/format';
import { param, useJurisdictions, usePolicy } from '../../app/hooks';
import { enumOptions, idTypeOptions } from '../../app/labels';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { PhotoPicker, uploadPhoto } from '../../components/PhotoPicker';
import { CitationView, ProblemAlert } from '../../components/ProblemAlert';

const CARRIES_BIRTH = new Set([
  'resident_id',
  'household_register',
  'hmt_residence_permit',
  'foreign_permanent_residence',
]);
const FOREIGN = new Set(['passport', 'foreign_permanent_residence']);

interface Values extends Omit<NewPerson, 'birthDate'> {
  birthDate?: dayjs.Dayjs;
  withGuardian?: boolean;
  photo?: File | null;
}

export default function Register() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { me } = useSession();
  const carried = (location.state ?? {}) as { idType?: string; idNumber?: string };
  const [form] = Form.useForm<Values>();
  const jurisdictions = useJurisdictions();
  const [jurisdiction, setJurisdiction] = useState<string | undefined>(
    me?.jurisdiction ?? undefined,
  );
  const policy = usePolicy(jurisdiction);
  const idType = Form.useWatch('idType', form) ?? 'resident_id';
  const idNumber = Form.useWatch('idNumber', form) ?? '';
  const birthPicked = Form.useWatch('birthDate', form);
  const [existing, setExisting] = useState<string | null>(null);
  const keys = useRef({ person: new ActionKey(), photo: new ActionKey() });

  const today = dayjs().format('YYYY-MM-DD');
  const birth = CARRIES_BIRTH.has(idType)
    ? birthDateFromId(idNumber)
    : birthPicked
      ? birthPicked.format('YYYY-MM-DD')
      : null;
  const age = birth ? ageOn(birth, today) : null;

  const accepted = useMemo(
    () =>
      policy.data?.parameters
        .filter((p) => p.path.startsWith('identity.documents.'))
        .filter((p) => (p.value as { accepted?: boolean }).accepted !== false)
        .map((p) => p.path.slice('identity.documents.'.length)),
    [policy.data],
  );
  const photoParam = param(policy.data, 'photo.optionalBelowAge');
  const photoAge = typeof photoParam?.value === 'number' ? photoParam.value : null;
  const minors = param(policy.data, 'agents.minors');
  const minorAge = (minors?.value as { belowAge?: number } | undefined)?.belowAge ?? null;
  const guardianRecorded = param(policy.data, 'agents.guardianRecorded');
  const needsGuardian = age !== null && minorAge !== null && age < minorAge;

  const create = useMutation({
    mutationFn: async (v: Values) => {
      const { birthDate, withGuardian, photo, guardian, ...rest } = v;
      const body: NewPerson = {
        ...(Object.fromEntries(
          Object.entries(rest).filter(([, x]) => x !== undefined && x !== '' && x !== null),
        ) as unknown as NewPerson),
        idNumber: rest.idNumber.trim().toUpperCase(),
        name: rest.name.trim(),
        ...(birthDate ? { birthDate: birthDate.format('YYYY-MM-DD') } : {}),
        ...((withGuardian || needsGuardian) && guardian?.name ? { guardian } : {}),
        ...(jurisdiction ? { jurisdiction } : {}),
      };
      // Two acts, each with the key of this registration: pressing again after the photo failed
      // gets the same person back (the first answer) and sends the photo again.
      let person: Person;
      try {
        person = await unwrap(
          client.POST('/api/v1/persons', {
            body,
            headers: headersFor({ idempotencyKey: keys.current.person.for(body) }),
          }),
        );
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 0)) keys.current.person.answered();
        throw e;
      }
      if (photo) {
        try {
          await uploadPhoto(person.id, photo, keys.current.photo.for(photo));
        } finally {
          keys.current.photo.answered();
        }
      }
      return person;
    },
    onSuccess: (person) => {
      keys.current.person.answered();
      navigate(`/persons/${person.id}`, { replace: true });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'PERSON_EXISTS') {
        const id = (e.problem as { personId?: string }).personId;
        setExisting(typeof id === 'string' ? id : null);
      }
    },
  });

  const zh = i18n.language !== 'en';
  return (
    <Page title={t('register.title')}>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          idType: carried.idType ?? 'resident_id',
          idNumber: carried.idNumber ?? '',
          hardship: 'none',
        }}
        onFinish={(v) => create.mutate(v)}
        scrollToFirstError
        disabled={create.isPending}
      >
        <Card>
          {policy.data && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('register.intro', {
                jurisdiction: zh
                  ? policy.data.jurisdiction.name.zh
                  : policy.data.jurisdiction.name.en,
              })}
            />
          )}
          {!me?.jurisdiction && (
            <Form.Item label={t('register.jurisdiction')} required>
              <Select
                value={jurisdiction}
                onChange={setJurisdiction}
                style={{ maxWidth: 320 }}
                options={jurisdictions.data?.items.map((j) => ({
                  value: j.code,
                  label: `${zh ? j.name.zh : j.name.en} (${j.shortCode})`,
                }))}
              />
            </Form.Item>
          )}
          <Typography.Title level={2} className="section-title">
            {t('register.identity')}
          </Typography.Title>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="idType" label={t('person.idType')} rules={[{ required: true }]}>
                <Select options={idTypeOptions(t, accepted)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item
                name="idNumber"
                label={t('person.idNumber')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                extra={
                  CARRIES_BIRTH.has(idType)
                    ? age !== null
                      ? t('register.age', { age })
                      : t('register.derived')
                    : undefined
                }
              >
                <Input
                  autoFocus={!carried.idNumber}
                  maxLength={30}
                  autoComplete="off"
                  data-testid="reg-id"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="name"
                label={t('person.name')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input autoFocus={!!carried.idNumber} maxLength={60} data-testid="reg-name" />
              </Form.Item>
            </Col>
          </Row>
          {!CARRIES_BIRTH.has(idType) && (
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name="sex" label={t('person.sex')} rules={[{ required: true }]}>
                  <Select options={enumOptions(t, 'sex', ['male', 'female'])} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="birthDate"
                  label={t('person.birthDate')}
                  rules={[{ required: true }]}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Row gutter={16}>
            {FOREIGN.has(idType) && (
              <Col xs={24} md={8}>
                <Form.Item
                  name="nationality"
                  label={t('person.nationality')}
                  rules={[{ required: true }]}
                >
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    options={COUNTRIES.map((c) => ({
                      value: c.alpha3,
                      label: `${zh ? c.name.zh : c.name.en} (${c.alpha3})`,
                    }))}
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={8}>
              <Form.Item name="ethnicity" label={t('person.ethnicity')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={ETHNICITIES.map((e) => ({
                    value: e.code,
                    label: zh ? e.name.zh : e.name.en,
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>

          <Divider />
          <Typography.Title level={2} className="section-title">
            {t('register.contact')}
          </Typography.Title>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="phone" label={t('person.phone')}>
                <Input inputMode="tel" maxLength={20} data-testid="reg-phone" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="postcode" label={t('person.postcode')}>
                <Input inputMode="numeric" maxLength={6} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="occupation" label={t('person.occupation')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="householdAddress" label={t('person.householdAddress')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="residenceAddress" label={t('person.residenceAddress')}>
                <Input maxLength={200} data-testid="reg-address" />
              </Form.Item>
            </Col>
          </Row>

          <Divider />
          <Typography.Title level={2} className="section-title">
            {t('register.insurance')}
          </Typography.Title>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="medicalInsurance" label={t('person.medicalInsurance')}>
                <Select
                  allowClear
                  options={enumOptions(t, 'medical', ['employee', 'resident', 'other'])}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="hardship" label={t('person.hardship')}>
                <Select options={enumOptions(t, 'hardship', ['none', 'tekun', 'dibao'])} />
              </Form.Item>
            </Col>
          </Row>

          <Divider />
          <Typography.Title level={2} className="section-title">
            {t('register.photoSection')}
          </Typography.Title>
          {photoParam && photoAge !== null && (
            <Alert
              type={age !== null && age >= photoAge ? 'warning' : 'info'}
              showIcon
              style={{ marginBottom: 12 }}
              title={
                age !== null && age >= photoAge
                  ? t('register.photoRequired', { age: photoAge, rule: photoParam.rule })
                  : t('register.photoRule', { age: photoAge, rule: photoParam.rule })
              }
              description={
                <CitationView
                  rule={{
                    rule: photoParam.rule,
                    quote: photoParam.quote,
                    default: photoParam.default,
                  }}
                  compact
                />
              }
            />
          )}
          <Form.Item name="photo" label={t('person.photo')} valuePropName="value">
            <PhotoPicker />
          </Form.Item>

          <Divider />
          <Typography.Title level={2} className="section-title">
            {t('register.guardianSection')}
          </Typography.Title>
          {needsGuardian && minors ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('register.guardianNeeded', {
                age: minorAge,
                rule: guardianRecorded?.rule ?? minors.rule,
              })}
              description={
                <CitationView
                  rule={{
                    rule: guardianRecorded?.rule ?? minors.rule,
                    quote: guardianRecorded?.quote ?? minors.quote,
                    default: guardianRecorded?.default ?? minors.default,
                  }}
                  compact
                />
              }
            />
          ) : (
            <Typography.Paragraph type="secondary">
              {t('register.guardianOptional')}
            </Typography.Paragraph>
          )}
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item
                name={['guardian', 'name']}
                label={t('person.guardianName')}
                rules={[{ required: needsGuardian && !!guardianRecorded?.value }]}
              >
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name={['guardian', 'idType']} label={t('person.guardianIdType')}>
                <Select options={idTypeOptions(t)} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name={['guardian', 'idNumber']} label={t('person.guardianIdNumber')}>
                <Input maxLength={30} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name={['guardian', 'relation']} label={t('person.guardianRelation')}>
                <Input maxLength={20} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card style={{ marginTop: 16 }}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {create.error && <ProblemAlert error={create.error} />}
            {existing && (
              <Button onClick={() => navigate(`/persons/${existing}`)}>
                {t('register.openExisting')}
              </Button>
            )}
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                loading={create.isPending}
                data-testid="reg-submit"
              >
                {t('register.submit')}
              </Button>
              <Button size="large" onClick={() => navigate(-1)}>
                {t('common.cancel')}
              </Button>
            </Space>
          </Space>
        </Card>
      </Form>
    </Page>
  );
}

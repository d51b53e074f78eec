/**
 * The application receipt (申领回执), styled for printing on A4: who applied (masked, as the
 * record is by default), what for, when and where it was accepted, the fee with its article, and
 * the pickup time the rule pack sets (the application's due date) with its article.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Spin } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { client, unwrap } from '../../api/client';
import type { Citation } from '../../api/problem';
import { formatDateTime, formatFen } from '../../app/format';
import { useSession } from '../../app/session';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { Fee } from '../../components/ApplicationBits';

export default function Receipt() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const session = useSession();
  const a = useQuery({
    queryKey: ['application', id],
    queryFn: () => unwrap(client.GET('/api/v1/applications/{id}', { params: { path: { id } } })),
    enabled: !!session.me,
  });
  const p = useQuery({
    queryKey: ['person', a.data?.personId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/persons/{id}', { params: { path: { id: a.data!.personId } } })),
    enabled: !!a.data,
  });
  const policy = useQuery({
    queryKey: ['policy', a.data?.jurisdiction],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/jurisdictions/{code}/policy', {
          params: { path: { code: a.data!.jurisdiction } },
        }),
      ),
    enabled: !!a.data,
    staleTime: 600_000,
  });
  useEffect(() => {
    document.title = t('receipt.title');
  }, [t]);

  if (!session.ready) return <Spin className="page-spin" />;
  if (!session.me)
    return <Navigate to="/login" replace state={{ from: `/applications/${id}/receipt` }} />;
  if (a.error)
    return (
      <div className="receipt">
        <ProblemAlert error={a.error} />
      </div>
    );
  if (!a.data || !p.data) return <Spin className="page-spin" />;
  const app = a.data;
  const fee = app.fee as Fee;
  const due = app.due as { at: string; rule: Citation | null } | null;
  const name = policy.data
    ? i18n.language === 'en'
      ? policy.data.jurisdiction.name.en
      : policy.data.jurisdiction.name.zh
    : app.jurisdiction;

  return (
    <div className="receipt-page">
      <div className="receipt-tools">
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="print"
        >
          {t('common.print')}
        </Button>
        <Link to={`/applications/${id}`}>
          <Button>{t('common.back')}</Button>
        </Link>
      </div>
      <main className="receipt" data-testid="receipt-sheet">
        <h1>
          {name} · {t('receipt.title')}
        </h1>
        <table>
          <tbody>
            <tr>
              <th scope="row">{t('receipt.applicationNo')}</th>
              <td>
                <code>{app.id}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.applicant')}</th>
              <td>
                {p.data.name}（{t(`idTypes.${p.data.idType}`)} {p.data.idNumber}）
              </td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.ssn')}</th>
              <td>{p.data.ssn}</td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.kind')}</th>
              <td>
                {t(`applications.kinds.${app.kind}`, { defaultValue: app.kind })}
                {app.reason
                  ? `（${t(`applications.reasons.${app.reason}`, { defaultValue: app.reason })}）`
                  : ''}{' '}
                ·{' '}
                {t(`applications.productions.${app.production}`, { defaultValue: app.production })}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.acceptedAt')}</th>
              <td>{formatDateTime(app.submittedAt)}</td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.acceptedBy')}</th>
              <td>{session.organization?.name ?? app.branchId}</td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.fee')}</th>
              <td>
                {fee.amountFen === undefined
                  ? '—'
                  : fee.amountFen === 0
                    ? t('applications.free')
                    : formatFen(fee.amountFen)}
                {(fee.exemption?.citation ?? fee.citation) &&
                  ` · ${t('receipt.pickupRule', { rule: (fee.exemption?.citation ?? fee.citation)!.rule })}`}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.pickup')}</th>
              <td>
                {due ? (
                  <>
                    <div className="pickup" data-testid="receipt-pickup">
                      {t('receipt.pickupFrom', { at: formatDateTime(due.at) })}
                    </div>
                    {due.rule && (
                      <div>
                        {t('receipt.pickupRule', { rule: due.rule.rule })}
                        {due.rule.quote ? `：“${due.rule.quote}”` : ''}
                      </div>
                    )}
                  </>
                ) : app.status === 'approved' || app.production === 'instant' ? (
                  t('applications.productions.instant')
                ) : (
                  '—'
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('receipt.notes')}</th>
              <td>
                <ol style={{ margin: 0, paddingLeft: 18 }}>
                  <li>{t('receipt.note1')}</li>
                  <li>{t('receipt.note2')}</li>
                </ol>
              </td>
            </tr>
          </tbody>
        </table>
        <div className="sign">
          <span>{t('receipt.signature')}：________________</span>
          <span>
            {t('receipt.operator')}：{session.me.username}
          </span>
          <span>{t('receipt.stamp')}</span>
        </div>
        <p style={{ marginTop: 24, fontSize: 12 }}>
          {t('receipt.printed')}：
          {formatDateTime(new Date(Date.now() + 8 * 3600_000).toISOString().replace('Z', '+08:00'))}
        </p>
      </main>
    </div>
  );
}

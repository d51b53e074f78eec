/**
 * A refusal as the API gave it: the message in the chosen language, and when a regulation
 * refused, the article (SH-18) with its words as the regulation says them. Field errors are
 * listed by field. The request id lets support find the request in the logs. An act that is
 * another organisation's business (NOT_RESPONSIBLE) is said plainly, as information rather than
 * an error: the detail names who does it.
 */
import { Alert, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, type Citation, type Problem } from '../api/problem';

export function CitationView({ rule, compact }: { rule: Citation; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="citation" data-testid="citation">
      <Tag color={rule.default ? 'default' : 'red'} className="citation-rule">
        {rule.default ? t('problem.defaultRule') : rule.rule}
      </Tag>
      {rule.quote && (
        <blockquote className="citation-quote" lang="zh-CN">
          “{rule.quote}”
        </blockquote>
      )}
      {!compact && rule.note && (
        <Typography.Text type="secondary" className="citation-note">
          {rule.note}
        </Typography.Text>
      )}
    </div>
  );
}

export function problemOf(error: unknown): Problem | null {
  if (error instanceof ApiError) return error.problem;
  if (error instanceof Error)
    return { type: 'about:blank', status: 0, code: 'CLIENT', title: error.message, detail: '' };
  return null;
}

export function ProblemAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t } = useTranslation();
  const problem = problemOf(error);
  if (!problem) return null;
  const fields = problem.errors ?? [];
  const elsewhere = problem.code === 'NOT_RESPONSIBLE';
  return (
    <Alert
      type={elsewhere ? 'info' : problem.rule ? 'warning' : 'error'}
      showIcon
      role="alert"
      data-testid="problem"
      data-code={problem.code}
      className="problem"
      closable={onClose ? { onClose } : false}
      title={<span className="problem-title">{problem.title}</span>}
      description={
        <div>
          {elsewhere && <p className="problem-lead">{t('problem.notResponsible')}</p>}
          {problem.detail && <p className="problem-detail">{problem.detail}</p>}
          {problem.rule && (
            <div className="problem-rule">
              <Typography.Text strong>{t('problem.rule')}：</Typography.Text>
              <CitationView rule={problem.rule} />
            </div>
          )}
          {fields.length > 0 && (
            <ul className="problem-fields" aria-label={t('problem.fields')}>
              {fields.map((f) => (
                <li key={f.pointer + f.message}>
                  <code>{f.pointer.replace(/^\/(body|query|params)\//, '')}</code> {f.message}
                </li>
              ))}
            </ul>
          )}
          <Typography.Text type="secondary" className="problem-meta">
            {t('problem.code')} {problem.code}
            {problem.requestId ? ` · ${t('problem.requestId')} ${problem.requestId}` : ''}
          </Typography.Text>
        </div>
      }
    />
  );
}

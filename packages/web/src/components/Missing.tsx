/**
 * A person, card or application this session cannot see. The API answers a target the actor
 * may not see exactly like one that does not exist (404): a counter sees a person registered
 * elsewhere only while serving them, for about 30 minutes after finding them by their full
 * document number. So a 404 offers to find the holder by their document again.
 */
import { SearchOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { statusOf } from '../api/problem';
import { useSession } from '../app/session';
import { ProblemAlert } from './ProblemAlert';

export function MissingOrRefused({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  if (statusOf(error) !== 404) return <ProblemAlert error={error} />;
  return (
    <Result
      status="404"
      title={t('presence.goneTitle')}
      subTitle={t('presence.goneText')}
      data-testid="presence-lapsed"
      extra={
        can('person.read') ? (
          <Button
            type="primary"
            icon={<SearchOutlined />}
            onClick={() => navigate('/counter')}
            data-testid="find-again"
          >
            {t('presence.findAgain')}
          </Button>
        ) : undefined
      }
    />
  );
}

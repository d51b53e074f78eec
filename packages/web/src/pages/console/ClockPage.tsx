/** The manual clock of a test installation (SSCARD_CLOCK=manual): read it, set it, move it on. */
import { Alert, Button, Card, DatePicker, Space, Statistic } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import { formatDateTime } from '../../app/format';
import { useAct, useClock } from '../../app/hooks';
import { useSession } from '../../app/session';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

/** A Shanghai wall-clock reading of the API's instant, for the picker. */
const wall = (instant: string) => dayjs(instant.slice(0, 19));

export default function ClockPage() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const clock = useClock(me?.clock === 'manual');
  const [picked, setPicked] = useState<Dayjs | null>(null);
  const set = useAct(
    (now: string, key: string) =>
      unwrap(
        client.PUT('/api/v1/system/clock', {
          body: { now },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['clock']],
  );
  const to = (d: Dayjs) =>
    set.mutate(d.format('YYYY-MM-DDTHH:mm:ss') + '+08:00', {
      onSuccess: (c) => set.message.success(t('clock.saved', { now: formatDateTime(c.now) })),
    });
  const notManual = me?.clock === 'system' || clock.data === null;
  // Only the installation administrator sets the clock (system.clock); the others read it.
  const setter = can('system.clock');
  return (
    <Page title={t('clock.title')}>
      <Card>
        {notManual ? (
          <Alert type="info" showIcon title={t('clock.notManual')} />
        ) : (
          <>
            <Alert type="warning" showIcon title={t('clock.intro')} style={{ marginBottom: 16 }} />
            {clock.error && <ProblemAlert error={clock.error} />}
            {clock.data && (
              <Space orientation="vertical" size="large">
                <Statistic
                  title={t('clock.now')}
                  value={formatDateTime(clock.data.now, true)}
                  data-testid="clock-now"
                />
                {setter && (
                  <>
                    <Space wrap>
                      <span>{t('clock.advance')}</span>
                      <Button onClick={() => to(wall(clock.data!.now).add(1, 'hour'))}>
                        +{t('clock.hour')}
                      </Button>
                      <Button
                        onClick={() => to(wall(clock.data!.now).add(1, 'day'))}
                        data-testid="clock-plus-day"
                      >
                        +{t('clock.day')}
                      </Button>
                      <Button onClick={() => to(wall(clock.data!.now).add(7, 'day'))}>
                        +{t('clock.week')}
                      </Button>
                    </Space>
                    <Space wrap>
                      <DatePicker
                        showTime
                        aria-label={t('clock.set')}
                        value={picked}
                        onChange={setPicked}
                        data-testid="clock-input"
                      />
                      <Button
                        type="primary"
                        data-testid="clock-set"
                        disabled={!picked}
                        loading={set.isPending}
                        onClick={() => picked && to(picked)}
                      >
                        {t('clock.set')}
                      </Button>
                    </Space>
                  </>
                )}
              </Space>
            )}
            {set.error && <ProblemAlert error={set.error} />}
          </>
        )}
      </Card>
    </Page>
  );
}

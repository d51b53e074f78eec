/**
 * A secret shown once (an activation ticket, a terminal's API key): large, monospaced, with a
 * copy button and a warning that it will not be shown again. Closing asks for acknowledgement,
 * and the secret leaves the page with the dialog.
 */
import { Alert, Button, Checkbox, Modal, Space, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function OneTimeSecret({
  title,
  secret,
  help,
  warning,
  ack: ackLabel,
  onClose,
}: {
  title: string;
  secret: string | null;
  help?: string;
  /** What the warning and the acknowledgement say (default: an activation ticket's words). */
  warning?: string;
  ack?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [ack, setAck] = useState(false);
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      open={secret !== null}
      title={title}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      onCancel={onClose}
      footer={
        <Button type="primary" disabled={!ack} onClick={onClose} data-testid="secret-close">
          {t('common.close')}
        </Button>
      }
      afterClose={() => {
        setAck(false);
        setCopied(false);
      }}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={warning ?? t('staff.ticketWarning')} />
        {help && <Typography.Paragraph>{help}</Typography.Paragraph>}
        <div className="one-time-secret-row">
          <code className="one-time-secret" data-testid="one-time-secret">
            {secret}
          </code>
          <Button
            icon={<CopyOutlined />}
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(secret ?? '');
                setCopied(true);
              } catch {
                setCopied(false);
              }
            }}
          >
            {copied ? t('common.copied') : t('common.copy')}
          </Button>
        </div>
        <Checkbox checked={ack} onChange={(e) => setAck(e.target.checked)}>
          {ackLabel ?? t('staff.ticketAck')}
        </Checkbox>
      </Space>
    </Modal>
  );
}

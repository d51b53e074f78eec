/** Asks for the reason an act needs (sent in X-Sscard-Reason and kept in the audit trail). */
import { Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './ProblemAlert';

export function ReasonModal({
  open,
  title,
  intro,
  placeholder,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  open: boolean;
  title: string;
  intro?: string;
  placeholder?: string;
  pending?: boolean;
  error?: unknown;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={title}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
      forceRender
    >
      {intro && <Typography.Paragraph>{intro}</Typography.Paragraph>}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => onSubmit(v.reason)}
        preserve={false}
        requiredMark={false}
      >
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea
            autoFocus
            rows={2}
            maxLength={200}
            showCount
            placeholder={placeholder ?? t('common.reasonPlaceholder')}
            data-testid="reason-input"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                form.submit();
              }
            }}
          />
        </Form.Item>
      </Form>
      {error ? <ProblemAlert error={error} /> : null}
    </Modal>
  );
}

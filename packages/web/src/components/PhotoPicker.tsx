/** Choose a photo (JPEG or PNG), preview it before it is sent; the server judges the content. */
import { PictureOutlined } from '@ant-design/icons';
import { Button, Image, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const MAX_UPLOAD = 4 * 1024 * 1024;

export function PhotoPicker({
  value,
  onChange,
}: {
  value?: File | null;
  onChange?: (file: File | null) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  useEffect(() => {
    if (!value) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(value);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [value]);
  return (
    <Space align="start" size="large">
      <div className="photo-frame">
        {url ? (
          <Image src={url} width={120} height={160} alt={t('register.photoPreview')} />
        ) : (
          <div className="photo-empty" aria-hidden>
            <PictureOutlined />
          </div>
        )}
      </div>
      <Space orientation="vertical">
        <input
          ref={input}
          type="file"
          accept="image/jpeg,image/png"
          hidden
          aria-label={t('person.uploadPhoto')}
          data-testid="photo-input"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            e.target.value = '';
            if (f && !/^image\/(jpeg|png)$/.test(f.type)) {
              setWarning(t('register.photoType'));
              return;
            }
            if (f && f.size > MAX_UPLOAD) {
              setWarning(t('register.photoTooLarge', { kb: Math.round(MAX_UPLOAD / 1024) }));
              return;
            }
            setWarning(null);
            onChange?.(f);
          }}
        />
        <Button icon={<PictureOutlined />} onClick={() => input.current?.click()}>
          {t('person.uploadPhoto')}
        </Button>
        {value && (
          <Button type="link" onClick={() => onChange?.(null)}>
            {t('common.reset')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('register.photoHint')}</Typography.Text>
        {warning && <Typography.Text type="danger">{warning}</Typography.Text>}
      </Space>
    </Space>
  );
}

/** PUT /api/v1/persons/{id}/photo with the file's bytes (an act: the action's key, if given). */
export async function uploadPhoto(personId: string, file: File, idempotencyKey?: string) {
  const { client, unwrap } = await import('../api/client');
  return unwrap(
    client.PUT('/api/v1/persons/{id}/photo', {
      params: { path: { id: personId } },
      body: file as never,
      bodySerializer: (b: unknown) => b as Blob,
      headers: {
        'content-type': file.type || 'application/octet-stream',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
    }),
  );
}

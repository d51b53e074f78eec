/** The frame of every page: a heading (h1, for screen readers and the tab title) and its tools. */
import { Flex, Typography } from 'antd';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Page({
  title,
  extra,
  children,
  subtitle,
}: {
  title: string;
  extra?: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.short')}`;
  }, [title, t]);
  return (
    <section className="page">
      <Flex justify="space-between" align="center" wrap gap={8} className="page-head">
        <div>
          <Typography.Title level={1} className="page-title">
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && <div className="page-extra">{extra}</div>}
      </Flex>
      {children}
    </section>
  );
}

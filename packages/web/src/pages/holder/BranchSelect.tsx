/**
 * The bank branch an online application names: it makes the card and hands it over
 * (GET /api/v1/holder/branches for the applicant's jurisdiction).
 */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/ProblemAlert';
import { holderApi } from './api';

export function BranchSelect({
  jurisdiction,
  value,
  onChange,
  id = 'holder-branch',
}: {
  jurisdiction: string;
  value: string | undefined;
  onChange: (id: string) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const branches = useQuery({
    queryKey: ['holder', 'branches', jurisdiction],
    queryFn: () => holderApi.branches(jurisdiction),
    staleTime: 10 * 60_000,
  });
  return (
    <div>
      <label htmlFor={id} style={{ display: 'block', marginBottom: 4 }}>
        {t('holder.apply.branch')}
      </label>
      <Select
        id={id}
        data-testid="holder-branch"
        style={{ width: '100%', maxWidth: 420 }}
        loading={branches.isLoading}
        placeholder={t('holder.apply.branchPlaceholder')}
        value={value}
        onChange={onChange}
        showSearch={{ optionFilterProp: 'label' }}
        options={(branches.data?.items ?? []).map((b) => ({
          value: b.id,
          label: `${b.bankName} · ${b.name}`,
        }))}
      />
      {branches.error ? <ProblemAlert error={branches.error} /> : null}
    </div>
  );
}

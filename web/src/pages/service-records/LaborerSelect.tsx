import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import { api } from '../../api/client.ts';

type Option = { value: string; label: string };

/** A laborer of the caller's region, found by name, pinyin, initials or the last digits of the ID number. */
export default function LaborerSelect({
  value,
  onChange,
  'data-testid': testId,
}: {
  value?: string;
  onChange?: (id: string) => void;
  'data-testid'?: string;
}) {
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const search = (q: string) => {
    const mine = ++seq.current;
    setLoading(true);
    api
      .get<{ items: { id: string; name: string; idNumberMasked: string; homeVillage: { fullName: string } }[] }>('/api/v1/laborers', {
        ...(q ? { q } : {}),
        pageSize: 20,
      })
      .then((r) => {
        if (mine === seq.current)
          setOptions(
            r.items.map((l) => ({
              value: l.id,
              label: `${l.name}（${l.idNumberMasked}，${l.homeVillage.fullName.replace(/^.*?(县|市|区)/, '')}）`,
            })),
          );
      })
      .catch(() => undefined)
      .finally(() => mine === seq.current && setLoading(false));
  };
  useEffect(() => search(''), []);
  return (
    <Select
      showSearch
      filterOption={false}
      onSearch={search}
      loading={loading}
      value={value}
      onChange={onChange}
      options={options}
      placeholder="输入姓名、拼音或身份证号后几位查找"
      data-testid={testId}
    />
  );
}

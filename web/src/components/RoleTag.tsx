import { Tag } from 'antd';
import { ROLE_COLORS, roleLabel } from '../api/labels.ts';
import type { RoleName } from '../api/types.ts';

export default function RoleTag({ role }: { role: string }) {
  return (
    <Tag color={ROLE_COLORS[role as RoleName] ?? 'default'} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {roleLabel(role)}
    </Tag>
  );
}

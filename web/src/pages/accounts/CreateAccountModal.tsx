import { useEffect, useRef, useState } from 'react';
import { App, Form, Input, Select, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { LEVEL_LABELS, LEVEL_ORDER, levelOfCode, ROLE_REGION_LEVELS, roleLabel } from '../../api/labels.ts';
import type { Account, CreateAccountInput, GrantableRoles, RoleName } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ModalForm } from '../../components/list/index.ts';
import RegionCascader from '../../components/RegionCascader.tsx';
import { PASSWORD_HINT } from '../../components/passwordRules.ts';

interface Values {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
  role: RoleName;
  regionCode: string;
  hostRegionCode?: string;
}

const FIELDS = ['username', 'displayName', 'password', 'role', 'regionCode', 'hostRegionCode'];
const FIELD_BY_CODE: Record<string, string> = {
  USERNAME_TAKEN: 'username',
  WEAK_PASSWORD: 'password',
  ROLE_NOT_GRANTABLE: 'role',
  REGION_OUT_OF_SCOPE: 'regionCode',
};

/**
 * 新建账号: a ModalForm, so each opening is a new, empty form (the previous account's values were
 * once cleared by hand after a save); a click outside or Esc does not throw the typing away.
 */
export default function CreateAccountModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (a: Account | null) => void;
}) {
  const { message } = App.useApp();
  const created = useRef<Account | null>(null);

  const submit = async (values: Values) => {
    const body: CreateAccountInput = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      password: values.password,
      role: values.role,
      regionCode: values.regionCode,
      ...(values.role === 'liaison_office' && values.hostRegionCode ? { hostRegionCode: values.hostRegionCode } : {}),
    };
    created.current = await api.post<Account | null>('/api/v1/accounts', body);
    message.success(`账号“${body.username}”已创建`);
  };

  return (
    <ModalForm<Values>
      open={open}
      title="新建账号"
      width={600}
      okText="创建"
      okTestId="account-submit"
      errorTestId="account-create-error"
      testId="account-create-form"
      layout="horizontal"
      fieldErrors={{ byCode: FIELD_BY_CODE, fields: FIELDS }}
      modalProps={{ mask: { closable: false }, keyboard: false, cancelButtonProps: { 'data-testid': 'account-cancel' } as never }}
      formProps={{
        labelCol: { span: 6 },
        wrapperCol: { span: 17 },
        autoComplete: 'off',
        // The 对接城市 of a liaison office goes with its field when another role is chosen.
        preserve: false,
      }}
      onSubmit={submit}
      onClose={(saved) => (saved ? onCreated(created.current) : onClose())}
    >
      <AccountFields />
    </ModalForm>
  );
}

/** The account's fields: the roles the caller may grant (loaded for each opening), the region's level following the role. */
function AccountFields() {
  const me = useMe();
  const role = Form.useWatch<RoleName | undefined>('role');
  const allowedLevels = role ? ROLE_REGION_LEVELS[role] : undefined;
  const maxLevel = allowedLevels ? allowedLevels.reduce((a, b) => (LEVEL_ORDER.indexOf(b) > LEVEL_ORDER.indexOf(a) ? b : a)) : 'village';
  const [roles, setRoles] = useState<RoleName[] | null>(null);
  const [rolesError, setRolesError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .get<GrantableRoles>('/api/v1/accounts/grantable-roles')
      .then((r) => !cancelled && setRoles(r.roles))
      .catch((e) => !cancelled && setRolesError(e));
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <>
      <ErrorAlert error={rolesError} testId="account-roles-error" />
      <Form.Item
        name="username"
        label="用户名"
        extra="3–32 位字母、数字、下划线、点或连字符，创建后不可修改"
        rules={[
          { required: true, message: '请输入用户名' },
          { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '用户名须为 3–32 位字母、数字、下划线、点或连字符' },
        ]}
      >
        <Input placeholder="如 xinshao_admin" maxLength={32} data-testid="account-username" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label="姓名"
        rules={[
          { required: true, whitespace: true, message: '请输入姓名或单位名称' },
          { max: 50, message: '不超过 50 个字符' },
        ]}
      >
        <Input placeholder="使用人姓名或单位名称" maxLength={50} data-testid="account-displayName" />
      </Form.Item>
      <Form.Item name="password" label="初始密码" extra={PASSWORD_HINT} rules={[{ required: true, message: '请输入初始密码' }]}>
        <Input.Password placeholder="初始密码" maxLength={128} autoComplete="new-password" data-testid="account-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认密码"
        dependencies={['password']}
        rules={[
          { required: true, message: '请再次输入密码' },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
          }),
        ]}
      >
        <Input.Password placeholder="再次输入初始密码" maxLength={128} autoComplete="new-password" data-testid="account-confirm" />
      </Form.Item>
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
        <Select<RoleName>
          placeholder={roles ? '请选择角色' : '正在加载可授予的角色…'}
          loading={!roles && !rolesError}
          options={(roles ?? []).map((r) => ({ value: r, label: roleLabel(r) }))}
          data-testid="account-role"
        />
      </Form.Item>
      <Form.Item
        name="regionCode"
        label="所属区划"
        dependencies={['role']}
        extra={
          allowedLevels
            ? `${roleLabel(role!)}须绑定到${allowedLevels.map((l) => LEVEL_LABELS[l]).join('、')}级行政区划（${me.region.fullName}及其下级）`
            : `可选择${me.region.fullName}及其下级区划`
        }
        rules={[
          { required: true, message: '请选择所属区划' },
          {
            validator: (_, v?: string) => {
              const level = v ? levelOfCode(v) : undefined;
              if (!v || !allowedLevels || !level || allowedLevels.includes(level)) return Promise.resolve();
              return Promise.reject(new Error(`该角色只能绑定到${allowedLevels.map((l) => LEVEL_LABELS[l]).join('、')}级行政区划`));
            },
          },
        ]}
      >
        <RegionCascader
          rootCode={me.region.code}
          maxLevel={maxLevel}
          changeOnSelect
          placeholder="请选择所属区划"
          data-testid="account-region"
        />
      </Form.Item>
      {role === 'liaison_office' && (
        <Form.Item
          name="hostRegionCode"
          label="对接城市"
          extra="驻外劳务对接服务中心所在的输入地城市（可为全国任意地级市）"
          rules={[
            { required: true, message: '请选择对接城市' },
            { validator: (_, v?: string) => (!v || v.length === 4 ? Promise.resolve() : Promise.reject(new Error('请选择到地级市'))) },
          ]}
        >
          <RegionCascader maxLevel="city" placeholder="请选择省 / 市" data-testid="account-host-region" />
        </Form.Item>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        请通过安全渠道将初始密码告知使用人，并提醒其登录后在“个人设置”中修改密码。
      </Typography.Text>
    </>
  );
}

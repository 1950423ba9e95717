import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Modal, Result, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { TRANSFERS_PATH, type CreateTransferInput, type TransferRequest } from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import { ModalForm } from '../../components/list/index.ts';
import RegionCascader from '../../components/RegionCascader.tsx';

interface Props {
  open: boolean;
  onClose: () => void;
  /** Prefilled from the card form after 409 LABORER_EXISTS. */
  idNumber?: string;
  toVillageCode?: string;
  /** The county named by the 409 answer, shown as the addressee. */
  holdingCounty?: string;
  onCreated?: (request: TransferRequest) => void;
}

/**
 * 申请迁移: ask the county holding a card to move it to a village of one's own region. The answer
 * names only that county; the card becomes visible here once the county approves.
 */
export default function TransferRequestModal({ open, onClose, idNumber, toVillageCode, holdingCounty, onCreated }: Props) {
  const me = useMe();
  const [created, setCreated] = useState<TransferRequest | null>(null);

  useEffect(() => {
    if (open) setCreated(null);
  }, [open]);

  const submit = async (values: CreateTransferInput) => {
    const request = await api.post<TransferRequest>(TRANSFERS_PATH, {
      idNumber: values.idNumber.trim().replace(/\s/g, ''),
      toVillageCode: values.toVillageCode,
      reason: values.reason.trim(),
    });
    setCreated(request);
    onCreated?.(request);
  };

  // The form is a ModalForm: filled from its initial values as each opening mounts it (the referral
  // and follow-up modals once lost theirs to an effect that ran before the modal's form was there).
  // Once sent, the same place shows where the request went, until 知道了.
  return created ? (
    <Modal
      title="申请迁移信息卡"
      open={open}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid="transfer-request-close">
          知道了
        </Button>
      }
    >
      <Result
        status="success"
        title="迁移申请已提交"
        subTitle={`已发送给 ${created.holdingCounty.fullName}，待该县审批。审批通过后，信息卡将迁入 ${created.toVillage.fullName}，可在“迁移申请”中查看进度。`}
        data-testid="transfer-request-done"
      />
    </Modal>
  ) : (
    <ModalForm<CreateTransferInput>
      open={open}
      title="申请迁移信息卡"
      name="transfer-request"
      okText="提交申请"
      okTestId="transfer-request-submit"
      errorTestId="transfer-request-error"
      initialValues={{
        idNumber: idNumber ?? '',
        toVillageCode: toVillageCode ?? (me.region.level === 'village' ? me.region.code : undefined),
        reason: '',
      }}
      modalProps={{ mask: { closable: false } }}
      formProps={{ requiredMark: false }}
      onSubmit={submit}
      onClose={(saved) => {
        if (!saved) onClose();
      }}
    >
      <Typography.Paragraph type="secondary">
        一人一卡：该劳动力的信息卡由原登记县管理。提交申请后，由信息卡所在地的管理员或乡镇经办员审批；批准后信息卡的户籍所在村改为迁入村，原有记录全部保留。
      </Typography.Paragraph>
      {holdingCounty && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`申请将发送给：${holdingCounty}`}
          data-testid="transfer-request-county"
        />
      )}
      <Form.Item
        name="idNumber"
        label="身份证号"
        rules={[
          { required: true, whitespace: true, message: '请填写身份证号' },
          { pattern: /^\s*(\d{17}[\dXx]|\d{15})\s*$/, message: '应为 18 位（或 15 位旧号）身份证号' },
        ]}
      >
        <Input
          maxLength={20}
          className="lw-mono"
          placeholder="18 位身份证号"
          disabled={Boolean(idNumber)}
          data-testid="transfer-request-id-number"
        />
      </Form.Item>
      <Form.Item name="toVillageCode" label="迁入村（本辖区）" rules={[{ required: true, message: '请选择迁入村' }]}>
        <RegionCascader rootCode={me.region.code} placeholder="选择村" style={{ width: '100%' }} data-testid="transfer-request-village" />
      </Form.Item>
      <Form.Item
        name="reason"
        label="申请原因"
        rules={[
          { required: true, whitespace: true, message: '请填写申请原因' },
          { min: 2, max: 200, message: '原因为 2 到 200 个字' },
        ]}
      >
        <Input.TextArea
          maxLength={200}
          showCount
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder="如：已随配偶落户本村；长期在本村居住"
          data-testid="transfer-request-reason"
        />
      </Form.Item>
    </ModalForm>
  );
}

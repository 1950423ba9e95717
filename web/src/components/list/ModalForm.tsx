import { Form, type FormInstance, type FormProps, Modal, type ModalProps } from 'antd';
import { type ReactNode, useState } from 'react';
import ErrorAlert from '../ErrorAlert.tsx';
import { applyServerErrors } from '../formErrors.ts';

export interface ModalFormProps<V> {
  /** Shown while true; each opening mounts a new form, filled from `initialValues` as they are then. */
  open: boolean;
  title: ReactNode;
  initialValues?: Partial<V>;
  /** Saves the values; a thrown ApiError is shown next to its field, or above the form. */
  onSubmit: (values: V, form: FormInstance<V>) => Promise<unknown>;
  /** Closed: `saved` when onSubmit succeeded, false on cancel. */
  onClose: (saved: boolean) => void;
  okText?: string;
  okTestId?: string;
  /** The OK button in red (a refusal, an ending). */
  danger?: boolean;
  errorTestId?: string;
  testId?: string;
  width?: number;
  /** Server error codes that concern one field (WEAK_PASSWORD → password), and the field names errors may name. */
  fieldErrors?: { byCode?: Record<string, string>; fields?: string[] };
  layout?: 'vertical' | 'horizontal';
  /** The form's name (its fields' ids). */
  name?: string;
  /** More of the modal: a long form kept from an accidental click outside (`mask`, `keyboard`), a cancel button's test id. */
  modalProps?: Omit<ModalProps, 'open' | 'title' | 'width' | 'okText' | 'confirmLoading' | 'onOk' | 'onCancel' | 'okButtonProps'>;
  /** More of the form: label columns, onValuesChange, autoComplete. */
  formProps?: Omit<FormProps<V>, 'form' | 'name' | 'layout' | 'initialValues' | 'onFinish' | 'children'>;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}

/**
 * A form in a modal that is a new form on each opening: the form and its modal are mounted when
 * `open` turns true and unmounted on close, so values set for this opening (a record to edit, a
 * default for the case at hand) are never lost to, or mixed with, the previous opening's — the
 * "values lost when the modal opens" bug that three hand-built modals each fixed on their own.
 */
export default function ModalForm<V extends object>(props: ModalFormProps<V>) {
  return props.open ? <ModalFormBody {...props} /> : null;
}

function ModalFormBody<V extends object>({
  title,
  initialValues,
  onSubmit,
  onClose,
  okText = '保存',
  okTestId,
  danger,
  errorTestId,
  testId,
  width,
  fieldErrors,
  layout = 'vertical',
  name,
  modalProps,
  formProps,
  children,
}: ModalFormProps<V>) {
  const [form] = Form.useForm<V>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setError(null);
    try {
      await onSubmit(values, form);
      onClose(true);
    } catch (e) {
      if (!applyServerErrors(form, e, fieldErrors?.byCode, fieldErrors?.fields)) setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      {...modalProps}
      open
      title={title}
      width={width}
      okText={okText}
      confirmLoading={saving}
      onOk={submit}
      onCancel={() => onClose(false)}
      okButtonProps={{ danger, ...(okTestId ? { 'data-testid': okTestId } : {}) } as never}
      data-testid={testId}
    >
      <ErrorAlert error={error} testId={errorTestId} />
      <Form<V> {...formProps} form={form} name={name} layout={layout} initialValues={initialValues as never}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}

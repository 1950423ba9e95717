import { type FormEvent, type ReactNode, useState } from 'react';
import type { FieldEditable } from '../../../contracts/field.ts';
import { ETHNICITY as ETHNICITY_DICT, FLAGS as FLAGS_DICT } from '../../../contracts/laborers.ts';
import type { Laborer } from './store.ts';
import { CARING, EDUCATION, HEALTH, LABOR_CAPACITY, POVERTY_STATUS, WILLINGNESS } from './labels.ts';
import { Section, Select } from './ui.tsx';

/**
 * The card's edit form on the phone: the collection form's editable fields (contracts/laborers.ts
 * cardFields, those sync accepts: contracts/field.ts FIELD_EDITABLE), grouped as the paper card is —
 * who, the household, abilities, skills, the wish to work, remarks. Only changed fields become the
 * entry's changes, so sync merges them one by one. 已就业 comes from the job records, never from
 * here; the form only says whether the person cannot work (不具备就业条件).
 */
export type Change = { field: FieldEditable; old: unknown; new: unknown };

const ETHNICITY: Record<string, string> = Object.fromEntries(ETHNICITY_DICT.codes.map((c) => [c, ETHNICITY_DICT.labels[c]]));
const FLAGS: Record<string, string> = FLAGS_DICT.labels;
const list = (text: string) =>
  text
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function Text({
  label,
  value,
  onChange,
  testId,
  ...input
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'tel';
  type?: string;
}) {
  return (
    <label className="f-field">
      <span>{label}</span>
      <input {...input} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="f-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export default function CardEditForm({
  card,
  onSave,
  onCancel,
}: {
  card: Laborer;
  onSave: (changes: Change[]) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(card.name);
  const [phone, setPhone] = useState('');
  const [ethnicity, setEthnicity] = useState(card.ethnicity ?? '');
  const [householdCode, setHouseholdCode] = useState(card.householdCode ?? '');
  const [relationToHead, setRelationToHead] = useState(card.relationToHead ?? '');
  const [householdSize, setHouseholdSize] = useState(card.householdSize != null ? String(card.householdSize) : '');
  const [povertyStatus, setPovertyStatus] = useState(card.povertyStatus);
  const [education, setEducation] = useState(card.education);
  const [laborCapacity, setLaborCapacity] = useState(card.laborCapacity);
  const [health, setHealth] = useState(card.health);
  const [caring, setCaring] = useState(card.caring);
  const [skills, setSkills] = useState(card.skills.join('、'));
  const [certificates, setCertificates] = useState(card.certificates.join('、'));
  const [trainingHistory, setTrainingHistory] = useState(card.trainingHistory ?? '');
  const [willingness, setWillingness] = useState(card.willingness);
  const [wantedJobTypes, setWantedJobTypes] = useState(card.wantedJobTypes.join('、'));
  const [wage, setWage] = useState(card.expectedWage != null ? String(card.expectedWage) : '');
  const [flags, setFlags] = useState<string[]>(card.flags);
  const [notWorking, setNotWorking] = useState(card.employmentStatus === 'not_working');
  const [remark, setRemark] = useState(card.remark ?? '');
  const [error, setError] = useState<string | null>(null);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const changes: Change[] = [];
    const add = (field: FieldEditable, old: unknown, value: unknown) => {
      if (JSON.stringify(old ?? null) !== JSON.stringify(value ?? null)) changes.push({ field, old: old ?? null, new: value ?? null });
    };
    // The server's own limits (contracts/laborers.ts cardFields), so an entry is not refused after it waited offline.
    if ([...name.trim()].length < 2 || /[<>]/.test(name)) return setError('姓名至少 2 个字，且不能含 < >');
    if (phone.trim() && !/^1[3-9]\d{9}$/.test(phone.trim())) return setError('手机号应为 11 位大陆手机号');
    if (householdSize.trim() && !(/^\d{1,2}$/.test(householdSize.trim()) && Number(householdSize) >= 1 && Number(householdSize) <= 30))
      return setError('家庭人口应为 1–30 的整数');
    if (wage.trim() && !(/^\d{1,6}$/.test(wage.trim()) && Number(wage) <= 100000))
      return setError('期望月薪应为不超过 100000 的整数（元）');
    const skillList = list(skills);
    const certificateList = list(certificates);
    const jobList = list(wantedJobTypes);
    if (skillList.length > 20 || certificateList.length > 20 || jobList.length > 10)
      return setError('技能、证书最多各 20 项，意向工种最多 10 项');
    if ([...skillList, ...jobList].some((s) => s.length > 30) || certificateList.some((s) => s.length > 40))
      return setError('每项技能、工种不超过 30 字，证书不超过 40 字');

    if (name.trim() !== card.name) add('name', card.name, name.trim());
    if (phone.trim()) changes.push({ field: 'phone', old: card.phoneMasked, new: phone.trim() });
    add('ethnicity', card.ethnicity, ethnicity || null);
    add('householdCode', card.householdCode, householdCode.trim() || null);
    add('relationToHead', card.relationToHead, relationToHead.trim() || null);
    add('householdSize', card.householdSize, householdSize.trim() ? Number(householdSize.trim()) : null);
    add('povertyStatus', card.povertyStatus, povertyStatus);
    add('education', card.education, education);
    add('laborCapacity', card.laborCapacity, laborCapacity);
    add('health', card.health, health);
    add('caring', card.caring, caring);
    add('skills', card.skills, skillList);
    add('certificates', card.certificates, certificateList);
    add('trainingHistory', card.trainingHistory, trainingHistory.trim() || null);
    add('willingness', card.willingness, willingness);
    add('wantedJobTypes', card.wantedJobTypes, jobList);
    add('expectedWage', card.expectedWage, wage.trim() ? Number(wage.trim()) : null);
    add(
      'flags',
      card.flags,
      FLAGS_DICT.codes.filter((f) => flags.includes(f)),
    );
    if (card.employmentStatus !== 'employed') add('employmentStatus', card.employmentStatus, notWorking ? 'not_working' : 'unemployed');
    add('remark', card.remark, remark.trim() || null);
    if (!changes.length) return setError('没有修改任何内容');
    onSave(changes);
  };

  return (
    <Section title={`修改 · ${card.name}`} testId="field-edit-form">
      <form onSubmit={save}>
        <Group title="基本信息">
          <Text label="姓名" maxLength={30} value={name} onChange={setName} testId="field-edit-name" />
          <Text
            label={`手机号（现为 ${card.phoneMasked ?? '空'}，不改请留空）`}
            type="tel"
            inputMode="numeric"
            maxLength={11}
            value={phone}
            onChange={setPhone}
            testId="field-edit-phone"
          />
          <Select label="民族" dict={{ '': '（未填）', ...ETHNICITY }} value={ethnicity} onChange={setEthnicity} />
        </Group>
        <Group title="家庭情况">
          <Text label="户编号" maxLength={30} value={householdCode} onChange={setHouseholdCode} testId="field-edit-household" />
          <Text label="与户主关系" maxLength={10} value={relationToHead} onChange={setRelationToHead} />
          <Text label="家庭人口" inputMode="numeric" maxLength={2} value={householdSize} onChange={setHouseholdSize} />
          <Select label="户类型" dict={POVERTY_STATUS} value={povertyStatus} onChange={setPovertyStatus} />
        </Group>
        <Group title="能力与健康">
          <Select label="文化程度" dict={EDUCATION} value={education} onChange={setEducation} />
          <Select label="劳动能力" dict={LABOR_CAPACITY} value={laborCapacity} onChange={setLaborCapacity} />
          <Select label="健康状况" dict={HEALTH} value={health} onChange={setHealth} />
          <Select label="照料负担" dict={CARING} value={caring} onChange={setCaring} />
        </Group>
        <Group title="技能与培训">
          <Text label="技能特长（用顿号分隔）" value={skills} onChange={setSkills} testId="field-edit-skills" />
          <Text label="职业资格证书（用顿号分隔）" value={certificates} onChange={setCertificates} testId="field-edit-certificates" />
          <label className="f-field">
            <span>培训经历</span>
            <textarea rows={2} maxLength={500} value={trainingHistory} onChange={(e) => setTrainingHistory(e.target.value)} />
          </label>
        </Group>
        <Group title="就业意愿">
          <Select label="就业意愿" dict={WILLINGNESS} value={willingness} onChange={setWillingness} testId="field-edit-willingness" />
          <Text label="意向工种（用顿号分隔）" value={wantedJobTypes} onChange={setWantedJobTypes} testId="field-edit-jobs" />
          <Text label="期望月薪（元）" inputMode="numeric" value={wage} onChange={setWage} testId="field-edit-wage" />
          <div className="f-field">
            <span>特殊标识</span>
            <div className="f-checks">
              {Object.entries(FLAGS).map(([code, text]) => (
                <label key={code} className="f-check">
                  <input
                    type="checkbox"
                    checked={flags.includes(code)}
                    onChange={(e) => setFlags(e.target.checked ? [...flags, code] : flags.filter((f) => f !== code))}
                  />
                  <span>{text}</span>
                </label>
              ))}
            </div>
          </div>
          {card.employmentStatus !== 'employed' ? (
            <label className="f-check">
              <input type="checkbox" checked={notWorking} onChange={(e) => setNotWorking(e.target.checked)} />
              <span>不具备就业条件</span>
            </label>
          ) : (
            <p className="f-note">已就业：由就业记录决定，在卡片的“就业记录”中登记离职</p>
          )}
        </Group>
        <Group title="备注">
          <label className="f-field">
            <span>备注</span>
            <textarea rows={3} maxLength={500} value={remark} onChange={(e) => setRemark(e.target.value)} data-testid="field-edit-remark" />
          </label>
        </Group>
        {error ? (
          <p className="f-error" data-testid="field-edit-error">
            {error}
          </p>
        ) : null}
        <div className="f-actions f-sticky">
          <button type="button" onClick={onCancel}>
            取消
          </button>
          <button type="submit" className="f-primary" data-testid="field-edit-save">
            保存
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The card page's rows for the fields this form added to the phone (the household's, the work's). */
export function cardMoreRows(card: Laborer, part: 'household' | 'work'): [string, string][] {
  const or = (v: string | number | null | undefined) => (v == null || v === '' ? '（空）' : String(v));
  const many = (v: string[]) => (v.length ? v.join('、') : '（空）');
  return part === 'household'
    ? [
        ['民族', card.ethnicity ? (ETHNICITY[card.ethnicity] ?? card.ethnicity) : '（空）'],
        ['户编号', or(card.householdCode)],
        ['与户主关系 · 家庭人口', `${or(card.relationToHead)} · ${card.householdSize != null ? `${card.householdSize} 人` : '（空）'}`],
      ]
    : [
        ['职业资格证书', many(card.certificates)],
        ['培训经历', or(card.trainingHistory)],
        ['意向工种', many(card.wantedJobTypes)],
        ['特殊标识', card.flags.length ? card.flags.map((f) => FLAGS[f] ?? f).join('、') : '（无）'],
      ];
}

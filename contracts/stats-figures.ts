/**
 * The statistics' figures in Chinese, as the drill-down names the people behind each (the console's
 * drawer title and the drill-down's export title, issue 18 item 2).
 */
export const FIGURE_LABELS: Record<string, string> = {
  registered: '建档立卡贫困劳动力',
  employed: '已就业',
  inCounty: '县内就业',
  outOfCountyInProvince: '县外省内就业',
  outOfProvince: '省外就业',
  abroad: '境外就业',
  selfEmployed: '自主就业',
  throughAssistance: '就业帮扶',
  averageMonthlyWage: '有工资记录的已就业人员',
  newTransfersThisYear: '今年新增转移就业',
  'services.guidance': '职业指导',
  'services.introduction': '职业介绍',
  'services.training': '职业培训',
  'services.entrepreneurship': '创业服务',
  'services.policySupport': '政策扶持服务',
  'subsidies.training': '培训补贴',
  'subsidies.socialInsurance': '社保补贴',
  'subsidies.job': '岗位补贴',
  'subsidies.policySupport': '政策扶持',
  'subsidies.transport': '交通补贴',
  'subsidies.oneTimeJob': '一次性求职就业补贴',
  'subsidies.publicWelfare': '公益性岗位补贴',
  retentionRate6m: '入职满 6 个月的人员（稳岗率）',
};

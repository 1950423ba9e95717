/** The places the demo centres on: the seeds' counties (新邵县, 花垣县, 古丈县), and the province. */
export const DEMO_COUNTIES = ['430522', '433124', '433126'] as const;
export const PROVINCE = '43';

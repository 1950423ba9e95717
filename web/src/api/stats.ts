/** The statistics summary's figures of one region (GET /api/v1/stats/summary and each row of /breakdown). */
export interface Figures {
  registered: number;
  employed: number;
  employedShare: number | null;
  inCounty: number;
  outOfCountyInProvince: number;
  outOfProvince: number;
  /** Of outOfProvince, abroad (境外). */
  abroad: number;
  selfEmployed: number;
  throughAssistance: number;
  averageMonthlyWage: number | null;
  newTransfersThisYear: number;
  yearTarget: number | null;
  targetCompletion: number | null;
  services: { guidance: number; introduction: number; training: number; entrepreneurship: number; policySupport: number };
  subsidies: {
    training: number;
    socialInsurance: number;
    job: number;
    policySupport: number;
    transport: number;
    oneTimeJob: number;
    publicWelfare: number;
  };
  retentionRate6m: number | null;
}

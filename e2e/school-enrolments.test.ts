import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seekerCard } from '../server/test/fixtures.ts';
import { pickDate, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/** 两后生就读 (issue 20 item 4): the region's school enrolments listed, and a finish recorded from the page. */
let world: BrowserWorld;
let enrolmentId: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const operator = await t.login('longxipu_operator');
  const inject = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: operator }, payload });
  const card = await inject('/api/v1/laborers', seekerCard('43052220060303101', { name: '蒋小军', education: '30' }));
  expect(card.statusCode, card.body).toBe(201);
  const enrolled = await inject('/api/v1/school-enrolments', {
    laborerId: card.json().id,
    schoolName: '济南市技师学院',
    schoolKind: 'technician_college',
    schoolRegionCode: '3701',
    programme: '数控加工',
    startedOn: '2024-09-01',
  });
  expect(enrolled.statusCode, enrolled.body).toBe(201);
  enrolmentId = enrolled.json().id;
}, 120_000);
afterAll(async () => world?.close());

describe('the 两后生 page', () => {
  it('lists the enrolment with its school and records the day the student finished', async () => {
    const page = await signIn(world, 'longxipu_operator');
    await page.goto(`${world.baseUrl}/school-enrolments`);
    const table = page.getByTestId('enrolment-table');
    await page.getByTestId(`enrolment-finish-${enrolmentId}`).waitFor();
    expect(await table.textContent()).toContain('济南市技师学院（技师学院，济南市）');
    await page.getByTestId(`enrolment-finish-${enrolmentId}`).click();
    await pickDate(page, 'enrolment-finished-on', '2026-07-01');
    await page.getByTestId('enrolment-finish-submit').click();
    await page.getByTestId(`enrolment-finish-${enrolmentId}`).waitFor({ state: 'detached' });
    expect(await table.textContent()).toContain('2026-07-01');
  });
});

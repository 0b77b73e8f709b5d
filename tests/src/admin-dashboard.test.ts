import { client } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(() => stack.close());

describe('queue dashboard at /admin/queues', () => {
  it('lets an admin in: the token from the link becomes a path-scoped HttpOnly cookie', async () => {
    const first = await fetch(`${stack.url}/admin/queues?token=${stack.admin}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/queues');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/lp_dashboard=.*Path=\/admin\/queues.*HttpOnly.*SameSite=Strict/);
    const page = await fetch(`${stack.url}/admin/queues`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const api = await fetch(`${stack.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${stack.admin}` } });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('imports');
  });

  it('keeps staff and strangers out', async () => {
    const staff = await fetch(`${stack.url}/admin/queues?token=${stack.staff}`, { redirect: 'manual' });
    expect(staff.status).toBe(403);
    expect(((await staff.json()) as any).error.message).toBe('Only a practice administrator can open the queue dashboard.');
    expect((await fetch(`${stack.url}/admin/queues`)).status).toBe(401);
  });
});

it('tells the page the upload limit and the PM-system formats', async () => {
  const c = client(stack.url, stack.staff);
  expect((await c.get('/config')).body).toEqual({ maxUploadBytes: 512 * 1024 * 1024, dashboardUrl: '/admin/queues' });
  const formats = (await c.get('/formats')).body.items;
  expect(formats.map((f: any) => f.id)).toContain('generic');
});

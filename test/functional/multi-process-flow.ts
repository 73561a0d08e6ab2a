// The server flow the seed 003 topology test drives through nova-api (noauth2 admin token):
// a flavor and an image, a server booted to ACTIVE, stopped and started, then deleted with its
// placement allocations gone.
import assert from 'node:assert/strict';

const H = { 'x-auth-token': 'admin:admin', 'content-type': 'application/json' };

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Flavor `mp1` (256 MB, 1 VCPU, 1 GB) and a small public raw image; returns the image id. */
export async function flavorAndImage(api: string, image: string): Promise<string> {
  const v = `${api}/v2.1`;
  let res = await fetch(`${v}/flavors`, {
    method: 'POST',
    headers: H,
    body: JSON.stringify({ flavor: { name: 'm1.mp', ram: 256, vcpus: 1, disk: 1, id: 'mp1' } }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  res = await fetch(`${image}/v2/images`, {
    method: 'POST',
    headers: H,
    body: JSON.stringify({
      name: 'mp-image',
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const imageId = String((await json(res)).id);
  res = await fetch(`${image}/v2/images/${imageId}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': 'admin:admin', 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(4096, 1),
  });
  assert.equal(res.status, 204, await res.clone().text());
  return imageId;
}

export async function bootActDelete(api: string, image: string, placement: string): Promise<void> {
  const v = `${api}/v2.1`;
  const imageId = await flavorAndImage(api, image);
  let res = await fetch(`${v}/servers`, {
    method: 'POST',
    headers: { ...H, 'openstack-api-version': 'compute 2.90' },
    body: JSON.stringify({
      server: { name: 'mp-vm', imageRef: imageId, flavorRef: 'mp1', networks: 'none' },
    }),
  });
  assert.equal(res.status, 202, await res.clone().text());
  const id = String(((await json(res)).server as Record<string, unknown>).id);
  const show = async () =>
    (await json(await fetch(`${v}/servers/${id}`, { headers: H }))).server as Record<string, unknown>;
  const status = (want: string) =>
    waitFor(`server ${want}`, async () => {
      const s = await show();
      if (s.status === 'ERROR') throw new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`);
      return s.status === want ? s : undefined;
    });
  const active = await status('ACTIVE');
  assert.match(String(active['OS-EXT-SRV-ATTR:host']), /^compute[12]$/);

  const alloc = await json(await fetch(`${placement}/allocations/${id}`, { headers: H }));
  assert.equal(Object.keys(alloc.allocations as object).length, 1);

  for (const [action, want] of [
    ['os-stop', 'SHUTOFF'],
    ['os-start', 'ACTIVE'],
  ] as const) {
    res = await fetch(`${v}/servers/${id}/action`, {
      method: 'POST',
      headers: H,
      body: JSON.stringify({ [action]: null }),
    });
    assert.equal(res.status, 202, await res.clone().text());
    await status(want);
  }

  res = await fetch(`${v}/servers/${id}`, { method: 'DELETE', headers: H });
  assert.equal(res.status, 204);
  await waitFor('server deleted', async () =>
    (await fetch(`${v}/servers/${id}`, { headers: H })).status === 404 ? true : undefined,
  );
  const after = await json(await fetch(`${placement}/allocations/${id}`, { headers: H }));
  assert.deepEqual(after.allocations, {});
}

// oslo uuidutils.is_uuid_like: 32 hex digits once dashes, braces and a urn:uuid: prefix are
// dropped, any case (what upstream accepts wherever it "validates a uuid").
const HEX32 = /^[0-9a-f]{32}$/;

export function isUuidLike(v: string): boolean {
  const s = v
    .toLowerCase()
    .replace(/^urn:uuid:/, '')
    .replace(/[{}-]/g, '');
  return HEX32.test(s);
}

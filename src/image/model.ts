// The image as the service sees it: Glance's core attributes, free-form properties and tags.
// Values are readonly records; repositories return new ones after every change.

export const IMAGE_STATUSES = [
  'queued',
  'saving',
  'active',
  'killed',
  'deleted',
  'uploading',
  'importing',
  'pending_delete',
  'deactivated',
] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const VISIBILITIES = ['community', 'public', 'private', 'shared'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Glance's [image_format] defaults. */
export const DISK_FORMATS = [
  'ami',
  'ari',
  'aki',
  'vhd',
  'vhdx',
  'vmdk',
  'raw',
  'qcow2',
  'vdi',
  'iso',
  'ploop',
] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;

/** Attributes a caller may set (on create or through PATCH). */
export interface WritableCore {
  readonly name: string | null;
  readonly visibility: Visibility;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  readonly protected: boolean;
  readonly os_hidden: boolean;
  readonly disk_format: string | null;
  readonly container_format: string | null;
}

/** Attributes only the service sets (status and the data's size and hashes). */
export interface DataCore {
  readonly status: ImageStatus;
  readonly size: number | null;
  readonly virtual_size: number | null;
  readonly checksum: string | null;
  readonly os_hash_algo: string | null;
  readonly os_hash_value: string | null;
}

export interface Image extends WritableCore, DataCore {
  readonly id: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly tags: readonly string[];
  /** Free-form properties (always strings). */
  readonly properties: Readonly<Record<string, string>>;
}

export interface ImageMember {
  readonly image_id: string;
  readonly member_id: string;
  readonly status: MemberStatus;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** The names of Image's core attributes (everything else a client sends is a property). */
export const CORE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'size',
  'virtual_size',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'min_disk',
  'min_ram',
  'owner',
  'protected',
  'os_hidden',
  'disk_format',
  'container_format',
  'created_at',
  'updated_at',
  'tags',
]);

/** The hash algorithm of os_hash_value ([DEFAULT] hashing_algorithm in Glance). */
export const HASH_ALGO = 'sha512';

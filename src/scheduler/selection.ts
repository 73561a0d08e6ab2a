// What select_destinations answers per instance: the chosen host first, then alternates the
// conductor may reschedule to (upstream Selection objects, as plain JSON).
export interface Selection {
  readonly service_host: string;
  readonly nodename: string;
  readonly compute_node_uuid: string;
  readonly cell_uuid: string;
  /** JSON text of the placement allocation request to claim on this host (alternates: unclaimed). */
  readonly allocation_request: string | null;
  readonly allocation_request_version: string | null;
  readonly limits: Readonly<Record<string, number>> | null;
}

/** A placement allocation request (GET /allocation_candidates, 1.12+ dict form). */
export interface AllocationRequest {
  readonly allocations: Readonly<Record<string, { readonly resources: Readonly<Record<string, number>> }>>;
  readonly mappings?: Readonly<Record<string, readonly string[]>>;
}

/** The provider of an allocation request that is a compute node (the one holding VCPU or MEMORY_MB). */
export function rootProviderOf(req: AllocationRequest): string | undefined {
  const rps = Object.keys(req.allocations);
  return (
    rps.find((rp) => {
      const r = req.allocations[rp].resources;
      return 'VCPU' in r || 'MEMORY_MB' in r || 'PCPU' in r;
    }) ?? rps[0]
  );
}

export interface Department {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  /** The supervising department it belongs to (itself when it is one), or null. */
  supervisingId: number | null;
  /** That department's name (read with it by `departmentOf`). */
  supervisingName?: string | null;
}

/** A department row joined to its parent (`parent_kind`, `parent_name`), as `departmentOf` and the sender read it. */
export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  parent_kind: string | null;
  parent_name: string | null;
}

export function toDepartment(d: DepartmentRow): Department {
  const parentId = d.parent_id === null ? null : Number(d.parent_id);
  const own = d.kind === 'supervising';
  const supervisingId = own ? Number(d.id) : d.parent_kind === 'supervising' ? parentId : null;
  const supervisingName = own ? d.name : supervisingId !== null ? d.parent_name : null;
  return { id: Number(d.id), code: d.code, name: d.name, kind: d.kind, parentId, supervisingId, supervisingName };
}

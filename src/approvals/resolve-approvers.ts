import type { Executor } from '../db/database.ts';
import {
  type ChainSpec,
  type CompiledForm,
  type FormContext,
  type FormData,
  type StepSpec,
  evaluate,
  truthy,
} from '../forms/index.ts';
import type { StepState } from './chain.ts';
import {
  activeUserIdsByOpenIds,
  approverRoleHolders,
  type RoleScope,
  roleHoldersIn,
  roleScopeKey,
} from '../org/index.ts';

/** Who holds a step's approver spec for the submission's department. */
export type Holders = (spec: StepSpec['approvers']) => Promise<number[]>;

/**
 * The holders of every step of a chain (and the admins, the fallback) for one department, read in one statement:
 * building the chain, the 转交 picker and a transfer all ask the same questions in one event.
 */
export async function chainHolders(
  db: Executor,
  chain: ChainSpec,
  departmentId: number,
  supervising: number | null,
): Promise<Holders> {
  const specs = chain.steps.map((x) => x.approvers);
  const scopeOf = (spec: Extract<StepSpec['approvers'], { role: unknown }>): RoleScope | undefined => {
    if (spec.of === 'submitter_department') return { role: spec.role, scope: departmentId };
    if (spec.of === 'supervising_department')
      return supervising === null ? undefined : { role: spec.role, scope: supervising };
    return { role: spec.role };
  };
  const wanted = [{ role: 'admin' as const }, ...specs.flatMap((x) => ('people' in x ? [] : [scopeOf(x)]))];
  const held = await roleHoldersIn(
    db,
    wanted.filter((w): w is RoleScope => w !== undefined),
  );
  return async (spec) => {
    if ('people' in spec) return activeUserIdsByOpenIds(db, spec.people);
    const scope = scopeOf(spec);
    return scope ? (held.get(roleScopeKey(scope)) ?? []) : [];
  };
}

export interface ResolvedChain {
  steps: StepState[];
  /** The admins, for a step that separation of duties leaves with nobody. */
  fallback: number[];
  /** Steps that found nobody and went to the admins: logged as warnings. */
  warnings: string[];
}

/**
 * Builds the steps of a chain for one submission: applies each step's condition, resolves its approvers without the
 * `excluded` people (submitter and fillers), and sends a step that finds nobody to the admins (never letting it pass
 * silently). A step whose only approvers are excluded keeps them here, so `activate` can skip it when the form says so.
 */
export async function buildSteps(
  holders: Holders,
  form: CompiledForm,
  chain: ChainSpec,
  data: FormData,
  ctx: FormContext,
  excluded: number[],
): Promise<ResolvedChain> {
  const steps: StepState[] = [];
  const warnings: string[] = [];
  const out = new Set(excluded);
  const admins = await holders({ role: 'admin' });
  const scope = {
    ...data,
    project: ctx.project ?? null,
    department: ctx.department ?? null,
    settings: form.def.settings as never,
  };
  for (const spec of chain.steps) {
    if (spec.when && !truthy(evaluate(form.expr(spec.when), [scope]))) continue;
    const candidates = await holders(spec.approvers);
    const eligible = candidates.filter((a) => !out.has(a));
    let approvers = spec.mode === 'one' ? (eligible.length ? eligible : candidates).slice(0, 1) : candidates;
    let note: string | undefined;
    if (spec.mode === 'cc' && !approvers.length) {
      warnings.push(`“${spec.title}”没有抄送对象`);
      continue;
    }
    if (!approvers.length) {
      approvers = admins;
      note = `“${spec.title}”未找到审批人，已转管理员处理`;
      warnings.push(note);
    }
    steps.push({
      id: spec.id,
      title: spec.title,
      mode: spec.mode,
      k: spec.k,
      approvers,
      decisions: [],
      status: 'waiting',
      note,
    });
  }
  return { steps, fallback: admins, warnings };
}

/**
 * People who may take over a step (转交), resolved now so org changes count: holders of the step's role for the
 * submission's department (or the admins when it has none), or with `approvers` every approver-role holder; never the
 * excluded (submitter and fillers).
 */
export async function transferCandidates(
  db: Executor,
  holders: Holders,
  chain: ChainSpec,
  step: StepState,
  excluded: Set<number>,
): Promise<number[]> {
  const spec = chain.steps.find((x) => x.id === step.id);
  let pool: number[];
  if (chain.transfer_to === 'approvers') {
    pool = await approverRoleHolders(db);
  } else {
    pool = spec ? await holders(spec.approvers) : [];
    if (!pool.length) pool = await holders({ role: 'admin' });
  }
  return pool.filter((id) => !excluded.has(id));
}

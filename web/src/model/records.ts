/**
 * The records chart's numbers: what each ring member holds against the expected share
 * l/n of PROTOCOL section 3, and how far a running build or rebuild has got.
 */
import { membersOf, type View } from "./view.ts";

export interface MemberRecords {
  id: number;
  name: string;
  records: number;
  /** "id name", the chart's category. */
  label: string;
}

/** A build storing records; null counts until the leader reports its first progress. */
export interface StoreActivity {
  stored: number | null;
  total: number | null;
}

export interface RecordsPicture {
  members: MemberRecords[];
  /** l: the year's records, or the sum held when no build reported its total. */
  yearRecords: number;
  /** l / n; null without members. */
  expectedShare: number | null;
  storing: StoreActivity | null;
  /** The emptiest and fullest members' deviation from l/n, as fractions (-0.002 = -0.2%). */
  spread: { lowest: number; highest: number } | null;
}

export function recordsPicture(view: View): RecordsPicture {
  const members = membersOf(view).map((member) => ({
    ...member,
    label: `${member.id} ${member.name}`,
  }));
  const held = members.reduce((sum, member) => sum + member.records, 0);
  const yearRecords = view.yearRecords ?? held;
  const expectedShare = members.length === 0 ? null : yearRecords / members.length;
  const records = members.map((member) => member.records);
  const storing = storeActivity(view);
  return {
    members,
    yearRecords,
    expectedShare,
    storing,
    // Until every record is stored, the spread says only how far the build has got.
    spread:
      expectedShare === null || expectedShare === 0 || storing !== null
        ? null
        : {
            lowest: Math.min(...records) / expectedShare - 1,
            highest: Math.max(...records) / expectedShare - 1,
          },
  };
}

function storeActivity(view: View): StoreActivity | null {
  const { progress, dht } = view;
  const building = dht?.phase === "building" || dht?.phase === "rebuilding";
  if (progress !== null && (building || progress.stored < progress.total)) {
    return { stored: progress.stored, total: progress.total };
  }
  return building ? { stored: null, total: null } : null;
}

/**
 * The top of the records axis: room above the tallest bar for the "expected share" label,
 * rounded to a readable tick.
 */
export function recordsAxisTop(highest: number): number {
  const padded = highest * 1.15;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(padded)) - 1);
  return Math.ceil(padded / step) * step;
}

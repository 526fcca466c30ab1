/**
 * The records chart's numbers: what each ring member holds against the expected share
 * l/n of PROTOCOL section 3, and how far a running build or rebuild has got. On a
 * replicated ring a member's records are its primaries and copies of its left
 * neighbours' primaries: its primaries are what the share l/n speaks of.
 */
import { membersOf, type View } from "./view.ts";

export interface MemberRecords {
  id: number;
  name: string;
  /** Every record it holds: `primary` + `copies`. */
  records: number;
  /** Those it is the primary of (pos mod n is its id). */
  primary: number;
  /** Copies of other nodes' primaries (0 on a ring of one copy). */
  copies: number;
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
  /** Some member holds copies: the chart stacks primaries and copies. */
  replicated: boolean;
  /** l: the year's records, or the primaries held when no build reported its total. */
  yearRecords: number;
  /** l / n; null without members. */
  expectedShare: number | null;
  storing: StoreActivity | null;
  /** The emptiest and fullest members' primaries' deviation from l/n, as fractions (-0.002 = -0.2%). */
  spread: { lowest: number; highest: number } | null;
}

export function recordsPicture(view: View): RecordsPicture {
  const members = membersOf(view).map((member) => ({
    ...member,
    primary: member.records - member.copies,
    label: `${member.id} ${member.name}`,
  }));
  const held = members.reduce((sum, member) => sum + member.primary, 0);
  const yearRecords = view.yearRecords ?? held;
  const expectedShare = members.length === 0 ? null : yearRecords / members.length;
  const records = members.map((member) => member.primary);
  const storing = storeActivity(view);
  return {
    members,
    replicated: members.some((member) => member.copies > 0),
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

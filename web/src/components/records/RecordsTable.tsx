/**
 * The records chart for screen readers: the records each member holds, as a table, with
 * its primaries and copies on a replicated ring.
 */
import { formatCount } from "../../model/format.ts";
import type { MemberRecords } from "../../model/records.ts";

export function RecordsTable({
  members,
  expectedShare,
  replicated,
}: {
  members: MemberRecords[];
  expectedShare: number | null;
  replicated: boolean;
}) {
  return (
    <table className="visually-hidden">
      <caption>Records held per node (expected share {formatCount(expectedShare ?? 0)})</caption>
      <thead>
        <tr>
          <th scope="col">node</th>
          <th scope="col">records</th>
          {replicated && <th scope="col">primary</th>}
          {replicated && <th scope="col">copies</th>}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => (
          <tr key={member.id}>
            <th scope="row">{member.label}</th>
            <td>{formatCount(member.records)}</td>
            {replicated && <td>{formatCount(member.primary)}</td>}
            {replicated && <td>{formatCount(member.copies)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

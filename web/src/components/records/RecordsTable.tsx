/** The records chart for screen readers: the records each member holds, as a table. */
import { formatCount } from "../../model/format.ts";
import type { MemberRecords } from "../../model/records.ts";

export function RecordsTable({
  members,
  expectedShare,
}: {
  members: MemberRecords[];
  expectedShare: number | null;
}) {
  return (
    <table className="visually-hidden">
      <caption>Records held per node (expected share {formatCount(expectedShare ?? 0)})</caption>
      <thead>
        <tr>
          <th scope="col">node</th>
          <th scope="col">records</th>
        </tr>
      </thead>
      <tbody>
        {members.map((member) => (
          <tr key={member.id}>
            <th scope="row">{member.label}</th>
            <td>{formatCount(member.records)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

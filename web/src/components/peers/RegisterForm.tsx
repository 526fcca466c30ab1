/**
 * The `register` form of an unregistered peer: a free Greek-letter name and the next free
 * UDP ports on the chosen IP (asked of the server), all editable before sending. A remote
 * peer (another host, e.g. a container) gets its own host's address and, since the server
 * cannot probe another host's ports, the conventional 5001 and 5002.
 */
import { type FormEvent, useId, useState } from "react";
import { registerDefaults } from "../../model/commands.ts";
import { Field } from "./Field.tsx";
import "./PeerForm.css";
import { FormActions } from "./FormActions.tsx";
import { PortInput } from "./PortInput.tsx";
import { useFreePorts } from "./useFreePorts.ts";

const IPV4 = "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

export function RegisterForm({
  daemonId,
  suggestedName,
  hostAddresses,
  remote,
  blocked,
  onSend,
  onCancel,
}: {
  daemonId: string;
  suggestedName: string;
  /** The peer's host's IPv4 addresses, loopback last. */
  hostAddresses: string[];
  /** The peer runs on another host than the server. */
  remote: boolean;
  /** Why register cannot be sent now, if it cannot. */
  blocked: string | null;
  onSend: (line: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(suggestedName);
  const defaults = registerDefaults(hostAddresses, remote);
  const [ip, setIp] = useState(defaults.ip);
  const { mport, setMport, pport, setPport, followHost } = useFreePorts(
    defaults.ip,
    defaults.ports,
    remote,
  );
  const addressListId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(`register ${name} ${ip} ${mport} ${pport}`);
  };

  return (
    <form className="peer-form" aria-label={`register ${daemonId}`} onSubmit={submit}>
      <Field label="Name">
        {(id) => (
          <input
            id={id}
            className="peer-name-input"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            pattern="[A-Za-z]{1,15}"
            title="1 to 15 letters"
          />
        )}
      </Field>
      <Field label="IP address">
        {(id) => (
          <input
            id={id}
            className="peer-ip-input"
            value={ip}
            onChange={(event) => setIp(event.target.value)}
            onBlur={() => followHost(ip)}
            required
            pattern={IPV4}
            title="an IPv4 address"
            list={addressListId}
          />
        )}
      </Field>
      <datalist id={addressListId}>
        {hostAddresses.map((address) => (
          <option key={address} value={address} />
        ))}
      </datalist>
      <PortInput label="m-port" value={mport} onChange={setMport} />
      <PortInput label="p-port" value={pport} onChange={setPport} />
      <FormActions command="register" blocked={blocked} onCancel={onCancel} />
    </form>
  );
}

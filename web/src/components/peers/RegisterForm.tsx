/**
 * The `register` form of an unregistered peer: a free Greek-letter name and the next free
 * UDP ports on the chosen IP (asked of the server), all editable before sending. A remote
 * peer (another host, e.g. a container) gets its own host's address and, since the server
 * cannot probe another host's ports, the conventional 5001 and 5002.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { api } from "../../api/client.ts";
import { describeError } from "../../model/actions.ts";
import { registerDefaults } from "../../model/commands.ts";
import { notify } from "../../model/notices.ts";
import { Field } from "./Field.tsx";
import "./PeerForm.css";
import { FormActions } from "./FormActions.tsx";

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
  const [mport, setMport] = useState(defaults.ports?.[0] ?? "");
  const [pport, setPport] = useState(defaults.ports?.[1] ?? "");
  const [portsFor, setPortsFor] = useState<string | null>(null);
  const addressListId = useId();

  const fillPorts = useCallback(
    (host: string) => {
      setPortsFor(host);
      if (remote) return;
      api.freePorts(host, 2).then(
        ({ ports: [first, second] }) => {
          if (first !== undefined) setMport(String(first));
          if (second !== undefined) setPport(String(second));
        },
        (error: unknown) =>
          notify("error", `Could not find free ports on ${host}`, [
            describeError(error),
            "type the m-port and p-port yourself",
          ]),
      );
    },
    [remote],
  );

  // Only on opening: the ports follow later edits of the address on blur.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first address, once
  useEffect(() => fillPorts(defaults.ip), [fillPorts]);

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
            onBlur={() => {
              if (ip !== portsFor) fillPorts(ip);
            }}
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

function PortInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          type="number"
          min={1}
          max={65_535}
          required
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * The register form's m-port and p-port, filled with the next free UDP ports on an address
 * (asked of the server) when the form opens and each time the address changes. A remote
 * peer's ports stay as given: the server cannot probe another host's ports.
 */
import { useCallback, useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import { describeError } from "../../model/actions.ts";
import { notify } from "../../model/notices.ts";

export function useFreePorts(
  initialHost: string,
  initialPorts: [string, string] | null,
  remote: boolean,
) {
  const [mport, setMport] = useState(initialPorts?.[0] ?? "");
  const [pport, setPport] = useState(initialPorts?.[1] ?? "");
  const [portsFor, setPortsFor] = useState<string | null>(null);

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
  useEffect(() => fillPorts(initialHost), [fillPorts]);

  /** Refills the ports for `host` unless they were already asked for it. */
  const followHost = (host: string) => {
    if (host !== portsFor) fillPorts(host);
  };
  return { mport, setMport, pport, setPport, followHost };
}

/**
 * The dashboard as a user meets it, by role and accessible name only: the clicks and
 * waits the acceptance demo is made of.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";

/** How long one step of the demo may take on a slow machine. */
export const STEP_TIMEOUT_MS = 60_000;

export class Dashboard {
  constructor(readonly page: Page) {}

  get peers(): Locator {
    return this.page.getByRole("region", { name: "Peers" });
  }

  /** The card of a peer, by daemon id ("peer-3") or registered name. */
  peer(idOrName: string): Locator {
    return this.peers.getByRole("article", { name: new RegExp(`(^|: )${idOrName}[:,]`) });
  }

  /** Peer cards whose status is `status` (Free, Leader, InDHT, unregistered, dead). */
  peersIn(status: string): Locator {
    return this.peers.getByRole("article", { name: new RegExp(`, ${status}$`) });
  }

  /** The registered name in a card's accessible name "peer-3: gamma, Free". */
  async nameOf(card: Locator): Promise<string> {
    const label = (await card.getAttribute("aria-label")) ?? "";
    const name = /^[^:]+: (\w+),/.exec(label)?.[1];
    assert.ok(name, `no name in "${label}"`);
    return name;
  }

  get ring(): Locator {
    return this.page.getByRole("region", { name: "Ring" });
  }

  get inspector(): Locator {
    return this.page.getByRole("region", { name: "Node inspector" });
  }

  /** A peer on the ring diagram, a member ("node 2 alpha (InDHT)") or beside it. */
  ringNode(name: string): Locator {
    return this.ring.getByRole("button", { name: new RegExp(`^(node \\d+|peer) ${name} \\(`) });
  }

  /** From an empty page: Build demo ring, until its DHT of five is ready. */
  async buildDemoRing(): Promise<void> {
    await this.page.getByRole("button", { name: "Build demo ring", exact: true }).click();
    await this.waitForDht("DHT of 5, year 1996, ready");
  }

  /** The registered names of the ring's members, in id order. */
  async memberNames(): Promise<string[]> {
    const labels = await this.ring
      .getByRole("button", { name: /^node \d+ \w+ \(/ })
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-label") ?? ""));
    return labels
      .map((label) => /^node (\d+) (\w+) /.exec(label))
      .filter((match) => match !== null)
      .sort((left, right) => Number(left[1]) - Number(right[1]))
      .map((match) => match[2] ?? "");
  }

  /** Clicks "Add peer" `count` times; returns the daemon id of the last one added. */
  async addPeers(count: number): Promise<string> {
    let added = "";
    for (let each = 0; each < count; each++) {
      const before = await this.peersIn("unregistered").count();
      await this.peers.getByRole("button", { name: "Add peer" }).click();
      const card = this.peersIn("unregistered").nth(before);
      await card.waitFor({ timeout: STEP_TIMEOUT_MS });
      added = ((await card.getAttribute("aria-label")) ?? "").split(":")[0] ?? "";
    }
    return added;
  }

  async register(daemonId: string, name: string): Promise<void> {
    const card = this.peer(daemonId);
    await card.getByRole("button", { name: "register", exact: true }).click();
    const form = card.getByRole("form", { name: `register ${daemonId}` });
    await form.getByLabel("Name").fill(name);
    // The ports are filled in with free ones by the dashboard itself.
    await this.waitNonEmpty(form.getByLabel("m-port"));
    await this.waitNonEmpty(form.getByLabel("p-port"));
    await form.getByRole("button", { name: "Send register" }).click();
    await this.peer(name).and(this.peersIn("Free")).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** Opens the setup-dht form of `leader` (if it is not open yet); returns it. */
  async openSetupForm(leader: string): Promise<Locator> {
    const form = this.peer(leader).getByRole("form", { name: `setup-dht ${leader}` });
    // The command button toggles the form, so it is clicked only when the form is closed.
    if (!(await form.isVisible())) {
      await this.peer(leader).getByRole("button", { name: "setup-dht", exact: true }).click();
    }
    await form.waitFor();
    return form;
  }

  /** The years the open setup-dht form of `leader` offers, once it has loaded them. */
  async yearsOffered(leader: string): Promise<string[]> {
    const select = (await this.openSetupForm(leader)).getByLabel("Year", { exact: true });
    await select
      .getByRole("option")
      .first()
      .waitFor({ state: "attached", timeout: STEP_TIMEOUT_MS });
    return select.getByRole("option").allTextContents();
  }

  /** Types `year` in the form's "Year to fetch", clicks "Fetch year"; returns its progress line. */
  async startYearFetch(leader: string, year: string): Promise<Locator> {
    await this.openSetupForm(leader);
    const group = this.peer(leader).getByRole("group", { name: `fetch a year for ${leader}` });
    await group.getByLabel("Year to fetch").fill(year);
    await group.getByRole("button", { name: "Fetch year" }).click();
    return group.getByRole("status");
  }

  /** Waits until a progress line says how the fetch of `year` ended; returns the line. */
  async yearFetchEnded(progress: Locator, year: string): Promise<string> {
    const ended = progress.filter({ hasText: new RegExp(`^${year}: (done|failed)`) });
    await ended.waitFor({ timeout: STEP_TIMEOUT_MS });
    return (await ended.textContent()) ?? "";
  }

  async setupDht(leader: string, ringSize: number, year: string): Promise<void> {
    const form = await this.openSetupForm(leader);
    await form.getByLabel("Ring size n").fill(String(ringSize));
    await form.getByLabel("Year", { exact: true }).selectOption(year);
    await form.getByRole("button", { name: "Send setup-dht" }).click();
    await this.waitForDht(`DHT of ${ringSize}, year ${year}, ready`);
  }

  async waitForDht(text: string): Promise<void> {
    await this.page.getByText(text, { exact: false }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** Picks `name` as the querying peer and runs a query; returns the result region. */
  async query(name: string, eventId: number): Promise<Locator> {
    await this.peer(name).getByRole("button", { name: "query-dht", exact: true }).click();
    const queries = this.page.getByRole("region", { name: "Queries" });
    await queries.getByText(`Querying peer: ${name}`).waitFor();
    await queries.getByLabel("Event id").fill(String(eventId));
    await queries.getByRole("button", { name: "Run query" }).click();
    const result = queries.getByRole("region", { name: "Query result" });
    await result.getByText(/^id-seq:/).waitFor({ timeout: STEP_TIMEOUT_MS });
    await result.getByText(String(eventId)).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    return result;
  }

  /** The id-seq a result region shows. */
  async idSeqOf(result: Locator): Promise<number[]> {
    const text = (await result.getByText(/^id-seq:/).textContent()) ?? "";
    return text.replace("id-seq:", "").trim().split(/\s+/).map(Number);
  }

  /**
   * Waits until the ring's replay has drawn `hops` find-event hops, and checks it draws no
   * more; hop 0, the manager's choice of the first member, is not one of them.
   */
  async waitForHopPath(hops: number): Promise<void> {
    const drawn = this.hopsDrawn();
    await this.page.waitForFunction(
      ([count]) =>
        document.querySelectorAll(
          '[aria-label="hop path"] [aria-label^="hop "]:not([aria-label^="hop 0:"])',
        ).length === count,
      [hops],
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.equal(await drawn.count(), hops);
  }

  /** The find-event hops the ring's replay draws now (not hop 0, the manager's choice). */
  hopsDrawn(): Locator {
    const path = this.page.getByRole("region", { name: "Ring" }).getByLabel("hop path");
    return path.getByRole("img", { name: /^hop [1-9]\d*:/ });
  }

  /** The time cursor's position (the seq the page shows). */
  async cursor(): Promise<number> {
    const slider = this.page
      .getByRole("region", { name: "Time control" })
      .getByLabel("Time cursor");
    return Number(await slider.inputValue());
  }

  /** A timeline entry (from the page's own server) where a build had stored part of it. */
  async storeProgressSeq(): Promise<{ seq: number; stored: number }> {
    const found = await this.page.evaluate(async () => {
      const response = await fetch("/api/timeline?after=0&limit=1000");
      const { entries } = (await response.json()) as {
        entries: { seq: number; event: { kind: string; stored?: number; total?: number } }[];
      };
      const entry = entries.find(
        ({ event }) => event.kind === "store-progress" && (event.stored ?? 0) < (event.total ?? 0),
      );
      return entry === undefined ? null : { seq: entry.seq, stored: entry.event.stored ?? 0 };
    });
    assert.ok(found, "the build published no partial store progress");
    return found;
  }

  async run(card: Locator, command: string): Promise<void> {
    await card.getByRole("button", { name: command, exact: true }).click();
  }

  private async waitNonEmpty(input: Locator): Promise<void> {
    await this.page.waitForFunction(
      (element) => (element as HTMLInputElement).value !== "",
      await input.elementHandle(),
      { timeout: STEP_TIMEOUT_MS },
    );
  }
}

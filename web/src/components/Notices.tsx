/** Command failures and other messages, newest last, each dismissable. */
import { dismiss, useNotices } from "../model/notices.ts";
import "./Notices.css";

export function Notices() {
  const notices = useNotices();
  return (
    <section className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice-${notice.kind}`}
          role={notice.kind === "error" ? "alert" : "status"}
        >
          <div className="notice-text">
            <strong>{notice.title}</strong>
            {notice.lines.map((line, index) => (
              // Lines repeat (two "id-seq:" lines), so the index is part of the key.
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity of their own
              <div key={index} className="mono">
                {line}
              </div>
            ))}
          </div>
          <button
            type="button"
            aria-label={`Dismiss: ${notice.title}`}
            onClick={() => dismiss(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}

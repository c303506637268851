import { register } from 'prom-client';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: Record<string, string>;
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * Request durations as a Prometheus histogram, recorded without per-observation label hashing:
 * prom-client's Histogram costs ~3 µs an observation, a measurable share of a fast API call. A
 * series is found by a string key the caller builds once per route; prom-client renders it.
 */
export class RequestHistogram {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    register.registerMetric(this as never);
  }

  /** Records one duration for the series named by `key` (labels used only the first time). */
  observe(key: string, labels: () => Record<string, string>, seconds: number): void {
    let s = this.series.get(key);
    if (!s) {
      s = { labels: labels(), counts: new Float64Array(BUCKETS.length), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }

  /** prom-client's metric interface: every series as cumulative buckets, sum and count. */
  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.series.values()) {
      for (let i = 0; i < BUCKETS.length; i++) {
        values.push({ labels: { ...s.labels, le: BUCKETS[i]! }, value: s.counts[i]!, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  reset(): void {
    this.series.clear();
  }
}

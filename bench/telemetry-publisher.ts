/**
 * The load generator of bench/telemetry, run as its own process (so it does not share the broker's event loop):
 * G gateway connections publish QoS 1 messages of M readings each, W messages in flight per connection, until
 * every reading is sent and acknowledged. Some sensors get an injected alarm (two readings over the Ⅰ level in
 * consecutive messages); the publish time of the second one is reported for the latency figure.
 * Input: one JSON argument; output: one JSON line.
 */
import mqtt from 'mqtt';

interface Args {
  port: number;
  gateways: { key: string; secret: string; sensors: string[] }[];
  perMessage: number;
  readingsPerGateway: number;
  window: number;
  startTs: number;
  stepMs: number;
  events: number;
  /** Readings per second across all gateways, sent on a fixed schedule (open loop); 0 = as fast as acknowledged. */
  rate: number;
}

const args = JSON.parse(process.argv[2]!) as Args;
const topic = (key: string) => `zhizhi/v1/readings/${key}`;

async function runGateway(g: Args['gateways'][number], eventsFor: Map<string, number>): Promise<{ sent: number; messages: number; events: { sensor: string; publishedAt: number }[] }> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${args.port}`, { username: g.key, password: g.secret, reconnectPeriod: 0, clientId: `bench-${g.key}` });
  const events: { sensor: string; publishedAt: number }[] = [];
  let sent = 0;
  let messages = 0;
  let round = 0;
  let idx = 0;
  // Rounds: every sensor of the gateway gets one reading per round, at startTs + round × stepMs.
  const next = (): { payload: string; eventSensor: string | null } | null => {
    if (sent >= args.readingsPerGateway) return null;
    const readings: { sensor: string; ts: number; value: number }[] = [];
    let eventSensor: string | null = null;
    while (readings.length < args.perMessage && sent < args.readingsPerGateway) {
      const sensor = g.sensors[idx]!;
      const ts = args.startTs + round * args.stepMs;
      let value = 0.3 + ((idx * 7 + round * 13) % 40) / 100;
      const eventRound = eventsFor.get(sensor);
      if (eventRound !== undefined && (round === eventRound || round === eventRound + 1)) {
        value = 60;
        if (round === eventRound + 1) eventSensor = sensor;
      }
      readings.push({ sensor, ts, value });
      sent++;
      idx++;
      if (idx === g.sensors.length) {
        idx = 0;
        round++;
      }
    }
    return { payload: JSON.stringify({ readings }), eventSensor };
  };
  const interval = args.rate > 0 ? (args.perMessage * args.gateways.length * 1000) / args.rate : 0;
  if (interval > 0) {
    // Open loop: the n-th message goes at t0 + n × interval whatever happened to the earlier ones, so a slow
    // server shows up as latency, not as a slower sender.
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      let n = 0;
      let finished = false;
      const tick = () => {
        const wait = t0 + n * interval - Date.now();
        if (wait > 0) {
          setTimeout(tick, wait);
          return;
        }
        const m = next();
        if (!m) {
          finished = true;
          if (inFlight === 0) resolve();
          return;
        }
        n++;
        inFlight++;
        messages++;
        if (m.eventSensor) events.push({ sensor: m.eventSensor, publishedAt: Date.now() });
        client.publish(topic(g.key), m.payload, { qos: 1 }, (e) => {
          if (e) return reject(e);
          inFlight--;
          if (finished && inFlight === 0) resolve();
        });
        setImmediate(tick);
      };
      tick();
    });
  } else {
    // Closed loop: W messages in flight, the next one sent as soon as one is acknowledged.
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      let done = false;
      const pump = () => {
        while (inFlight < args.window) {
          const m = next();
          if (!m) {
            if (inFlight === 0 && !done) {
              done = true;
              resolve();
            }
            return;
          }
          inFlight++;
          messages++;
          if (m.eventSensor) events.push({ sensor: m.eventSensor, publishedAt: Date.now() });
          client.publish(topic(g.key), m.payload, { qos: 1 }, (e) => {
            if (e) return reject(e);
            inFlight--;
            pump();
          });
        }
      };
      pump();
    });
  }
  await client.endAsync();
  return { sent, messages, events };
}

// Spread the injected events over the run: sensor i of the events list alarms in round r_i.
const rounds = Math.floor(args.readingsPerGateway / Math.max(1, args.gateways[0]!.sensors.length));
const eventsFor = new Map<string, number>();
const allSensors = args.gateways.flatMap((g) => g.sensors);
for (let i = 0; i < args.events; i++) {
  const sensor = allSensors[Math.floor((i * allSensors.length) / args.events)]!;
  eventsFor.set(sensor, Math.max(1, Math.floor(((i + 0.5) * (rounds - 2)) / args.events)));
}

const started = Date.now();
const results = await Promise.all(args.gateways.map((g) => runGateway(g, eventsFor)));
const finished = Date.now();
process.stdout.write(
  JSON.stringify({
    started,
    finished,
    readings: results.reduce((s, r) => s + r.sent, 0),
    messages: results.reduce((s, r) => s + r.messages, 0),
    events: results.flatMap((r) => r.events),
  }) + '\n',
);

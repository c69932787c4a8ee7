// Loaded with --import into the fake utilityProcess's child: gives it Electron's utility-process
// view of its parent (process.parentPort: 'message' events carrying { data, ports }, postMessage),
// and no process.send, so the engine process takes the same path as in the app.
import { EventEmitter } from 'node:events';

const send = process.send.bind(process);
const port = new EventEmitter();
port.postMessage = (message) => void send(message);
port.start = () => {};
port.pause = () => {};
process.on('message', (data) => port.emit('message', { data, ports: [] }));
Object.defineProperty(process, 'parentPort', { value: port, enumerable: false });
delete process.send;

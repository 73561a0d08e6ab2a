#!/usr/bin/env node
import { launchTop } from './launch.js';

await launchTop();

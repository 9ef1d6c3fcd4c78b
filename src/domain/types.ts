// Record shapes and enumerations of the HVAC data model. Field names follow the original design
// (camelCase) so these shapes hold for hooks, dashboard, CLI and tests alike.

export const ROLES = ["dispatcher", "technician", "manager"] as const;
export type Role = (typeof ROLES)[number];

export const SKILLS = ["installation", "maintenance", "repair", "inspection", "gas", "fgas"] as const;
export type Skill = (typeof SKILLS)[number];

export const PROPERTY_TYPES = ["apartment", "house", "commercial"] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const JOB_TYPES = ["installation", "maintenance", "repair", "inspection"] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ["pending", "scheduled", "in_progress", "completed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const EVENT_TYPES = ["job_update", "technician_location", "emergency_alert", "message"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const INVOICE_STATUSES = ["pending", "processed", "paid"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface LatLng {
  lat: number;
  lng: number;
}

export interface TimedLocation extends LatLng {
  /** ISO 8601 UTC timestamp of the fix. */
  at: string;
  accuracy?: number;
}

/** Fields every PocketBase record carries. */
export interface BaseRecord {
  id: string;
  created: string;
  updated: string;
  collectionId?: string;
  collectionName?: string;
}

export interface UserRecord extends BaseRecord {
  email: string;
  name: string;
  role: Role;
  phone: string;
  districts: string[];
  skills: Skill[];
  lastLocation: TimedLocation | null;
  verified?: boolean;
  username?: string;
}

export interface ContactRecord extends BaseRecord {
  name: string;
  email: string;
  phone: string;
  address: string;
  district: string;
  affluenceScore: number;
  propertyType: PropertyType;
  nip: string;
  notes: string;
}

export interface JobRecord extends BaseRecord {
  contactId: string;
  title: string;
  description: string;
  type: JobType;
  status: JobStatus;
  priority: Priority;
  priorityReason: string;
  scheduledDate: string;
  startedAt: string;
  completedDate: string;
  technicianId: string;
  coordinates: LatLng | null;
  estimatedDuration: number;
  actualDuration: number;
  notes: string;
  overdueEscalatedAt: string;
}

export interface EquipmentPhotoRecord extends BaseRecord {
  jobId: string;
  contactId: string;
  file: string;
  filename: string;
  filesize: number;
  mimetype: string;
  description: string;
  aiAnalysis: unknown;
}

export interface InvoiceRecord extends BaseRecord {
  jobId: string;
  contactId: string;
  file: string;
  filename: string;
  filesize: number;
  mimetype: string;
  ocrData: unknown;
  totalAmount: number;
  status: InvoiceStatus;
}

export interface RealtimeEventRecord extends BaseRecord {
  type: EventType;
  /** JSON text; see EmergencyAlertData / TechnicianLocationData. */
  data: string;
  /** User ids, role names or "all". */
  targetUsers: string[];
  district: string;
  priority: Priority | "";
  processed: boolean;
  acknowledgedBy: string;
  acknowledgedAt: string;
}

/** What an alert carries. No customer name or phone: technicians of the district receive it too,
 * and they may see only the contacts of their own jobs. */
export interface EmergencyAlertData {
  jobId: string;
  title: string;
  address: string;
  district: string;
  reason: string;
}

export interface TechnicianLocationData extends TimedLocation {
  userId: string;
  name: string;
  /** Nearest district centre, a hint for the dispatcher, not a boundary test. */
  nearestDistrict: string;
}

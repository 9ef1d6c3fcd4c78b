// The form state of a call: a new customer (when the caller is not in the base yet) and the job.
import type { JobType, Priority, PropertyType } from "$domain/types";

export interface ContactDraft {
  name: string;
  phone: string;
  email: string;
  address: string;
  district: string;
  propertyType: PropertyType | "";
  nip: string;
}

export function emptyContact(): ContactDraft {
  return { name: "", phone: "", email: "", address: "", district: "", propertyType: "", nip: "" };
}

export interface JobDraft {
  title: string;
  description: string;
  type: JobType;
  /** "" = let the server decide (medium + rules). */
  priority: Priority | "";
  /** Minutes; null = the type's default. */
  estimatedDuration: number | null;
}

export function emptyJob(): JobDraft {
  return { title: "", description: "", type: "repair", priority: "", estimatedDuration: null };
}

/** Fields of each record the form shows; server errors on them appear next to the field. */
export const CONTACT_FIELDS = ["name", "phone", "email", "address", "district", "propertyType", "nip"] as const;
export const JOB_FIELDS = ["title", "description", "type", "priority", "estimatedDuration"] as const;
export const PLAN_FIELDS = ["technicianId", "scheduledDate", "status"] as const;

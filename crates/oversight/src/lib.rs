//! Oversight workflows: objections, complaints and their legal deadlines, investigations,
//! violations, recusal, the deadline watch and collusion risk detection. Pure domain logic.
